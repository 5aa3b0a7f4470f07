//! From encoded image bytes to pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Why bytes could not be turned into an image.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes are not in a format vlocr reads (JPEG, PNG, BMP, TIFF, WebP).
    #[error("not an image in a supported format (JPEG, PNG, BMP, TIFF, WebP)")]
    UnsupportedFormat,
    /// The image is larger than allowed.
    #[error("image of {width}x{height} pixels is larger than {max_side} pixels on a side")]
    TooLarge {
        /// Image width.
        width: u32,
        /// Image height.
        height: u32,
        /// The largest side allowed.
        max_side: u32,
    },
    /// The file is damaged or truncated.
    #[error("the image data is damaged or truncated")]
    Corrupt(#[source] image::ImageError),
    /// The file ends before its last row of pixels.
    #[error("the image data ends before its last row")]
    Truncated,
}

/// Largest side of an image that is decoded at all; larger ones are refused before their pixels
/// are allocated.
pub const MAX_DECODE_SIDE: u32 = 8192;

/// What decoding an image takes, known from its header before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeCost {
    /// Image width.
    pub width: u32,
    /// Image height.
    pub height: u32,
    /// Bytes the decoded pixels take at most at once: the 8-bit RGB result, plus the decoder's
    /// own copy when the file's pixels are not 8-bit RGB and the decoder cannot convert them row
    /// by row, plus a second copy when the EXIF orientation turns the image.
    pub peak_bytes: u64,
}

/// Reads the header of `bytes`: the image's size and what decoding it would cost. The image
/// is refused here when a side is over [`MAX_DECODE_SIDE`].
pub fn decode_cost(bytes: &[u8]) -> Result<DecodeCost, DecodeError> {
    let (decoder, format) = header(bytes)?;
    let (width, height) = decoder.dimensions();
    let rgb = u64::from(width) * u64::from(height) * 3;
    let native = decoder.total_bytes();
    let mut decoder = decoder;
    let turned = decoder
        .orientation()
        .is_ok_and(|o| o != image::metadata::Orientation::NoTransforms);
    let rows = format == ImageFormat::Png && !png_interlaced(bytes);
    let copy = if rows || decoder.color_type() == image::ColorType::Rgb8 {
        0
    } else {
        native
    };
    let turn = if turned { native.max(rgb) } else { 0 };
    Ok(DecodeCost {
        width,
        height,
        peak_bytes: rgb + copy + turn,
    })
}

/// A decoder for `bytes` with its header read and its sides checked.
fn header(bytes: &[u8]) -> Result<(Box<dyn ImageDecoder + '_>, ImageFormat), DecodeError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| DecodeError::UnsupportedFormat)?;
    let format = reader.format().ok_or(DecodeError::UnsupportedFormat)?;
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_DECODE_SIDE || height > MAX_DECODE_SIDE {
        return Err(DecodeError::TooLarge {
            width,
            height,
            max_side: MAX_DECODE_SIDE,
        });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    decoder.set_limits(limits).map_err(classify)?;
    Ok((Box::new(decoder), format))
}

/// Decodes `bytes` into RGB pixels, turned upright according to the EXIF orientation if any.
/// The header is checked before the pixels are decoded, so a huge image costs no memory. PNG
/// files (16-bit, with alpha, grey or palette included) are converted to 8-bit RGB row by row,
/// with no full-size copy in their own format ([`DecodeCost`]).
pub fn decode_image(bytes: &[u8]) -> Result<RgbImage, DecodeError> {
    let (mut decoder, format) = header(bytes)?;
    let orientation = decoder.orientation().ok();
    let mut image = if format == ImageFormat::Png && !png_interlaced(bytes) {
        drop(decoder);
        DynamicImage::ImageRgb8(decode_png_rows(bytes)?)
    } else {
        DynamicImage::from_decoder(decoder).map_err(classify)?
    };
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image.into_rgb8())
}

/// A JPEG photo whose longer side is at least this many pixels is decoded at half its size
/// ([`decode_image_reduced`]): a 48-megapixel phone photo (8000x6000) still gives the card
/// 4000 pixels, more than the detector (960) or the recognizer (lines cut to 48 pixels tall)
/// use, while a 12-megapixel one (4000x3000) is decoded whole, since a card a fifth of its
/// width would lose pixels it needs.
pub const REDUCED_DECODE_FROM: u32 = 6000;

/// An image decoded for reading, and how many of the uploaded image's pixels each of its pixels
/// spans along a side (1 when decoded whole): positions found in it are multiplied by `scale`
/// to be the uploaded image's.
#[derive(Debug, Clone)]
pub struct DecodedImage {
    /// The pixels, turned upright according to the EXIF orientation.
    pub image: RgbImage,
    /// The uploaded image's side over the decoded one's.
    pub scale: f32,
    /// The uploaded image's size, turned upright as `image` is.
    pub uploaded: (u32, u32),
}

/// [`decode_image`], but a JPEG whose longer side is [`REDUCED_DECODE_FROM`] pixels or more is
/// decoded at half size by the JPEG decoder's own scaling (its DCT blocks decoded at 4x4, a
/// quarter of the work and memory of decoding it whole and reducing it after).
pub fn decode_image_reduced(bytes: &[u8]) -> Result<DecodedImage, DecodeError> {
    let (mut decoder, format) = header(bytes)?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().ok();
    let turned = |(w, h): (u32, u32)| match orientation {
        Some(
            image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH,
        ) => (h, w),
        _ => (w, h),
    };
    let uploaded = turned((width, height));
    drop(decoder);
    if format == ImageFormat::Jpeg && width.max(height) >= REDUCED_DECODE_FROM {
        if let Some(half) = decode_jpeg_halved(bytes) {
            let mut image = DynamicImage::ImageRgb8(half);
            if let Some(orientation) = orientation {
                image.apply_orientation(orientation);
            }
            let image = image.into_rgb8();
            let scale = uploaded.0 as f32 / image.width().max(1) as f32;
            return Ok(DecodedImage {
                image,
                scale,
                uploaded,
            });
        }
    }
    Ok(DecodedImage {
        image: decode_image(bytes)?,
        scale: 1.0,
        uploaded,
    })
}

/// A JPEG decoded at half its size, as 8-bit RGB; `None` where the half-size decoder cannot
/// (a CMYK or 16-bit JPEG, or data it rejects): the whole decoder then decides.
fn decode_jpeg_halved(bytes: &[u8]) -> Option<RgbImage> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let half = |side: u16| side.div_ceil(2);
    decoder.scale(half(info.width), half(info.height)).ok()?;
    let pixels = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        _ => return None,
    };
    RgbImage::from_raw(w, h, rgb)
}

/// Whether a PNG's IHDR says it is interlaced (Adam7 rows come in passes, so they are left to
/// the image crate's whole-image decoder).
fn png_interlaced(bytes: &[u8]) -> bool {
    // Signature (8), IHDR length and type (8), width, height, depth, colour, compression,
    // filter (4 + 4 + 1 + 1 + 1 + 1): the interlace byte is at 28.
    bytes.get(28).is_some_and(|&b| b != 0)
}

/// A non-interlaced PNG to 8-bit RGB, one row at a time.
fn decode_png_rows(bytes: &[u8]) -> Result<RgbImage, DecodeError> {
    let corrupt = |e: png::DecodingError| {
        DecodeError::Corrupt(image::ImageError::Decoding(
            image::error::DecodingError::new(ImageFormat::Png.into(), e),
        ))
    };
    // The sides were checked from the header; the pixels go to our buffer, not png's.
    let limits = png::Limits { bytes: usize::MAX };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let (width, height) = (reader.info().width, reader.info().height);
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(DecodeError::UnsupportedFormat),
    };
    let row_bytes = width as usize * 3;
    let mut pixels = vec![0u8; row_bytes * height as usize];
    for out in pixels.chunks_exact_mut(row_bytes) {
        let row = reader
            .next_row()
            .map_err(corrupt)?
            .ok_or(DecodeError::Truncated)?;
        let data = row.data();
        for (rgb, px) in out.chunks_exact_mut(3).zip(data.chunks_exact(channels)) {
            match channels {
                1 | 2 => rgb.fill(px[0]),
                _ => rgb.copy_from_slice(&px[..3]),
            }
        }
    }
    RgbImage::from_raw(width, height, pixels).ok_or(DecodeError::Truncated)
}

fn classify(error: image::ImageError) -> DecodeError {
    match error {
        image::ImageError::Unsupported(_) => DecodeError::UnsupportedFormat,
        other => DecodeError::Corrupt(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        RgbImage::new(width, height)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("encode");
        out
    }

    #[test]
    fn decodes_png() {
        assert_eq!(
            decode_image(&png(7, 5)).expect("decodes").dimensions(),
            (7, 5)
        );
    }

    #[test]
    fn rejects_text_and_truncation() {
        assert!(matches!(
            decode_image(b"hello world"),
            Err(DecodeError::UnsupportedFormat)
        ));
        let bytes = png(64, 64);
        assert!(matches!(
            decode_image(&bytes[..bytes.len() / 2]),
            Err(DecodeError::Corrupt(_))
        ));
        assert!(matches!(
            decode_image(&[]),
            Err(DecodeError::UnsupportedFormat)
        ));
    }

    fn encode(image: &DynamicImage) -> Vec<u8> {
        encode_as(image, ImageFormat::Png)
    }

    fn encode_as(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), format)
            .expect("encode");
        out
    }

    #[test]
    fn png_rows_give_what_the_whole_image_decoder_gives() {
        let rgb = RgbImage::from_fn(37, 21, |x, y| image::Rgb([x as u8 * 7, y as u8 * 11, 99]));
        let source = DynamicImage::ImageRgb8(rgb);
        for image in [
            source.clone(),
            DynamicImage::ImageRgba8(source.to_rgba8()),
            DynamicImage::ImageLuma8(source.to_luma8()),
            DynamicImage::ImageLumaA8(source.to_luma_alpha8()),
            DynamicImage::ImageRgb16(source.to_rgb16()),
            DynamicImage::ImageRgba16(source.to_rgba16()),
        ] {
            let expected = image.to_rgb8();
            let decoded = decode_image(&encode(&image)).expect("decodes");
            assert_eq!(decoded.dimensions(), (37, 21));
            // 16-bit samples keep their high byte (the whole-image decoder rounds).
            let worst = decoded
                .as_raw()
                .iter()
                .zip(expected.as_raw())
                .map(|(a, b)| a.abs_diff(*b))
                .max();
            assert!(worst <= Some(1), "off by {worst:?}");
        }
    }

    #[test]
    fn the_cost_of_a_16_bit_png_is_its_rgb_result_alone() {
        let image = DynamicImage::ImageRgba16(image::ImageBuffer::new(300, 200));
        let cost = decode_cost(&encode(&image)).expect("header");
        assert_eq!((cost.width, cost.height), (300, 200));
        assert_eq!(cost.peak_bytes, 300 * 200 * 3);
        let bmp = {
            let mut out = Vec::new();
            DynamicImage::ImageRgba8(image::RgbaImage::new(300, 200))
                .write_to(&mut Cursor::new(&mut out), ImageFormat::Bmp)
                .expect("encode");
            out
        };
        // A BMP with alpha is decoded whole, then converted: both copies count.
        assert_eq!(
            decode_cost(&bmp).expect("header").peak_bytes,
            300 * 200 * 3 + 300 * 200 * 4
        );
        assert!(matches!(
            decode_cost(&png(9000, 10)),
            Err(DecodeError::TooLarge { .. })
        ));
    }

    /// A PNG chunk with its CRC (bitwise CRC-32, as PNG defines it).
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in kind.iter().chain(data) {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&(!crc).to_be_bytes());
        out
    }

    #[test]
    fn a_png_read_row_by_row_is_still_turned_by_its_exif_orientation() {
        let plain = encode(&DynamicImage::ImageRgb16(image::ImageBuffer::new(3, 2)));
        // An eXIf chunk right after IHDR (8 + 25 bytes): one IFD entry, Orientation = 6
        // (turned 90 degrees clockwise).
        let exif: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
        let mut turned = plain[..33].to_vec();
        turned.extend(chunk(b"eXIf", exif));
        turned.extend_from_slice(&plain[33..]);
        assert_eq!(decode_image(&plain).expect("decodes").dimensions(), (3, 2));
        assert_eq!(decode_image(&turned).expect("decodes").dimensions(), (2, 3));
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        encode_as(&DynamicImage::ImageRgb8(image.clone()), ImageFormat::Jpeg)
    }

    #[test]
    fn a_large_jpeg_is_decoded_at_half_size_and_says_so() {
        // Dark bars on white, so that the halved image can be checked against the whole one.
        let bars = |w: u32, h: u32| {
            RgbImage::from_fn(w, h, |x, _| {
                if (x / 64) % 2 == 0 {
                    image::Rgb([250, 250, 250])
                } else {
                    image::Rgb([20, 30, 40])
                }
            })
        };
        let large = jpeg(&bars(REDUCED_DECODE_FROM, 128));
        let decoded = decode_image_reduced(&large).expect("decodes");
        assert_eq!(decoded.image.dimensions(), (REDUCED_DECODE_FROM / 2, 64));
        assert_eq!(decoded.scale, 2.0);
        assert_eq!(decoded.uploaded, (REDUCED_DECODE_FROM, 128));
        // The same picture: a pixel in the middle of a dark bar stays dark, of a light one light.
        assert!(decoded.image.get_pixel(16 + 32, 32).0[0] < 60);
        assert!(decoded.image.get_pixel(16, 32).0[0] > 200);
        // A smaller JPEG, and any PNG, are decoded whole.
        let small =
            decode_image_reduced(&jpeg(&bars(REDUCED_DECODE_FROM - 1, 128))).expect("decodes");
        assert_eq!(small.image.dimensions(), (REDUCED_DECODE_FROM - 1, 128));
        assert_eq!(small.scale, 1.0);
        let png = decode_image_reduced(&png(REDUCED_DECODE_FROM, 100)).expect("decodes");
        assert_eq!(png.image.dimensions(), (REDUCED_DECODE_FROM, 100));
        assert_eq!(png.scale, 1.0);
    }

    #[test]
    fn a_large_grey_jpeg_is_decoded_at_half_size_in_rgb() {
        let grey = image::GrayImage::from_fn(REDUCED_DECODE_FROM, 64, |x, _| {
            image::Luma([(x % 256) as u8])
        });
        let bytes = encode_as(&DynamicImage::ImageLuma8(grey), ImageFormat::Jpeg);
        let decoded = decode_image_reduced(&bytes).expect("decodes");
        assert_eq!(decoded.image.dimensions(), (REDUCED_DECODE_FROM / 2, 32));
        let [r, g, b] = decoded.image.get_pixel(100, 10).0;
        assert!(r == g && g == b, "{r} {g} {b}");
    }

    #[test]
    fn a_large_jpeg_turned_by_its_exif_orientation_is_halved_then_turned() {
        let plain = jpeg(&RgbImage::new(REDUCED_DECODE_FROM, 96));
        // An APP1 Exif segment after the start marker: one IFD entry, orientation 6 (the
        // picture is turned a quarter clockwise to be upright).
        let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let length = u16::try_from(tiff.len() + 2).expect("short");
        let mut turned = plain[..2].to_vec();
        turned.extend_from_slice(&[0xFF, 0xE1]);
        turned.extend_from_slice(&length.to_be_bytes());
        turned.extend_from_slice(&tiff);
        turned.extend_from_slice(&plain[2..]);
        let decoded = decode_image_reduced(&turned).expect("decodes");
        assert_eq!(decoded.uploaded, (96, REDUCED_DECODE_FROM));
        assert_eq!(decoded.image.dimensions(), (48, REDUCED_DECODE_FROM / 2));
        assert_eq!(decoded.scale, 2.0);
    }

    #[test]
    fn a_large_jpeg_cut_short_is_taken_or_refused_as_a_small_one_is() {
        let bars = RgbImage::from_fn(REDUCED_DECODE_FROM, 128, |x, y| {
            image::Rgb([(x % 251) as u8, (y * 2) as u8, 90])
        });
        let bytes = jpeg(&bars);
        for cut in [
            &bytes[..bytes.len() / 2],
            &bytes[..600],
            &bytes[..bytes.len() - 2],
        ] {
            let whole = decode_image(cut);
            let reduced = decode_image_reduced(cut);
            // The half-size decoder refuses what is cut short, and the whole decoder decides.
            assert_eq!(whole.is_ok(), reduced.is_ok());
            if let (Ok(whole), Ok(reduced)) = (whole, reduced) {
                assert_eq!(reduced.image.dimensions(), whole.dimensions());
                assert_eq!(reduced.scale, 1.0);
            }
        }
    }
}
