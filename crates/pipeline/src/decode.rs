//! From encoded image bytes to pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

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
}

/// Largest side of an image that is decoded at all; larger ones are refused before their pixels
/// are allocated.
pub const MAX_DECODE_SIDE: u32 = 8192;

/// Decodes `bytes` into RGB pixels, turned upright according to the EXIF orientation if any.
/// The header is checked before the pixels are decoded, so a huge image costs no memory.
pub fn decode_image(bytes: &[u8]) -> Result<RgbImage, DecodeError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| DecodeError::UnsupportedFormat)?;
    if reader.format().is_none() {
        return Err(DecodeError::UnsupportedFormat);
    }
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
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(classify)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image.into_rgb8())
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
}
