//! `vlocr synth` with typefaces from a folder (`--fonts`).

use std::path::Path;

use super::synth;

/// The system fonts `vlocr synth` renders with, by the file names `--fonts` looks for.
const SYSTEM_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
];

/// The bytes of every file under `dir`, by path relative to it, sorted.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("under dir");
                let bytes = std::fs::read(&path).expect("a file");
                files.push((name.display().to_string(), bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn fonts_from_a_folder_render_as_the_same_fonts_from_the_system() {
    let base = std::env::temp_dir().join(format!("vlocr-synth-fonts-{}", std::process::id()));
    let fonts = base.join("fonts");
    std::fs::create_dir_all(&fonts).expect("a folder");
    for font in SYSTEM_FONTS {
        let name = Path::new(font).file_name().expect("a file name");
        std::os::unix::fs::symlink(font, fonts.join(name)).expect("a link");
    }
    let (system, linked) = (base.join("system"), base.join("linked"));
    let more = ["--side", "mixed", "--difficulty", "photo"];
    let made = synth(&system, 2, 5, &more);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let with_fonts = [&more[..], &["--fonts", fonts.to_str().expect("utf-8")]].concat();
    let made = synth(&linked, 2, 5, &with_fonts);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (a, b) = (files_of(&system), files_of(&linked));
    assert_eq!(a.len(), 4, "two images and their truth files");
    assert!(a == b, "the same images and truth");
    // A folder without the files says which is missing, and writes nothing.
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).expect("a folder");
    let out = base.join("none");
    let made = synth(&out, 1, 5, &["--fonts", empty.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&made.stderr);
    assert!(!made.status.success());
    assert!(stderr.contains("uming.ttc"), "{stderr}");
    assert!(!out.exists());
    std::fs::remove_dir_all(&base).expect("cleaned up");
}
