//! Thumbnails of the images attached to incidents: what the app's file list shows, so a phone
//! opening an incident with a few 8 MB photos loads a few tens of kilobytes instead.
//!
//! A thumbnail is made on its first request (decoded within limits, turned upright by its EXIF
//! orientation, scaled to fit [`SIDE`] pixels, flattened onto white and written as a JPEG), kept
//! in the file store beside the original, and served from there afterwards. An image this cannot
//! read (too many pixels, an unknown or broken format) is answered with the original instead:
//! the browser may still show it, as it did before thumbnails existed. So is an original that
//! weighs no more than its thumbnail would.

use std::io::Cursor;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

/// Longest side of a thumbnail in pixels: the app shows them at 10rem × 7.5rem (160 × 120 CSS
/// pixels), which is 480 × 360 device pixels on a phone's 3× screen.
pub const SIDE: u32 = 480;
/// Images over this many pixels are not decoded (50 MP is 200 MB of pixels once decoded).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Originals over this size are not read into memory to make a thumbnail.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// A stored thumbnail larger than this is not one of ours.
const MAX_THUMBNAIL_BYTES: u64 = 4 * 1024 * 1024;
const QUALITY: u8 = 82;

/// Whether an attachment of this type (recognised from its bytes) gets a thumbnail.
pub fn applies(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Where the thumbnail of the attachment stored at `key` is kept.
fn key_of(original_key: &str) -> String {
    format!("thumbnails/{SIDE}/{original_key}.jpg")
}

/// The JPEG thumbnail of an image, or `None` when the bytes are not an image this can read
/// within the limits. Runs on a blocking thread: decoding takes tens of milliseconds.
pub fn make(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    if img.width() > SIDE || img.height() > SIDE {
        img = img.thumbnail(SIDE, SIDE);
    }
    let rgb = on_white(img);
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY);
    rgb.write_with_encoder(encoder).ok()?;
    Some(out)
}

/// JPEG has no transparency: transparent pixels (screenshots, logos) go onto white, as the
/// page behind them is.
fn on_white(img: DynamicImage) -> DynamicImage {
    if !img.color().has_alpha() {
        return DynamicImage::ImageRgb8(img.to_rgb8());
    }
    let rgba = img.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let a = u16::from(a);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        out.0 = [blend(r), blend(g), blend(b)];
    }
    DynamicImage::ImageRgb8(rgb)
}

/// Answers a thumbnail request for an attachment the caller may read (the store checked).
pub async fn send(
    api: &Api,
    req: &HttpRequest,
    attachment: &faro_store::Attachment,
) -> ApiResult<HttpResponse> {
    if !applies(&attachment.content_type) {
        return Err(ApiError::not_found());
    }
    let file = &attachment.file;
    let original = || crate::sending::send(api, req, file, Some(attachment.content_type.as_str()));
    // The thumbnail follows from the original's bytes and the size: so does its tag.
    let tag = format!("\"{}-t{SIDE}\"", file.sha256);
    let has_it = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if has_it {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .finish());
    }
    let key = key_of(&file.key);
    let bytes = match api.files.read_all(&key, MAX_THUMBNAIL_BYTES).await {
        Ok(bytes) => bytes,
        Err(faro_files::FilesError::NotFound) => {
            if file.size > MAX_SOURCE_BYTES {
                return original().await;
            }
            let Some(bytes) = made(api, &file.key).await? else {
                return original().await;
            };
            if let Err(e) = api.files.put_bytes(&key, bytes.clone().into()).await {
                // Served anyway; the next request makes it again.
                tracing::warn!(error = %e, key, "thumbnail not kept");
            }
            bytes
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    // A small original (an icon, a simple screenshot) can weigh less than its JPEG: it is
    // then its own thumbnail.
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) >= file.size {
        return original().await;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/jpeg"))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// Reads the original and makes its thumbnail, one image at a time per node (a decoded photo
/// takes up to 200 MB while it is scaled).
async fn made(api: &Api, original_key: &str) -> ApiResult<Option<Vec<u8>>> {
    let _turn = api
        .thumbnailing
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let source = match api.files.read_all(original_key, MAX_SOURCE_BYTES).await {
        Ok(source) => source,
        Err(faro_files::FilesError::NotFound) => {
            return Err(ApiError::internal(format!(
                "stored file {original_key} has a row but no bytes"
            )));
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    tokio::task::spawn_blocking(move || make(&source))
        .await
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img =
            image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 0, 0, alpha]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn fits_the_side_and_keeps_the_shape() {
        let thumb = make(&png(2000, 1000, 255)).unwrap();
        let t = image::load_from_memory(&thumb).unwrap();
        assert_eq!((t.width(), t.height()), (SIDE, SIDE / 2));
        assert_eq!(
            image::guess_format(&thumb).unwrap(),
            image::ImageFormat::Jpeg
        );
    }

    #[test]
    fn small_images_keep_their_size_and_transparency_goes_white() {
        let thumb = make(&png(40, 30, 0)).unwrap();
        let t = image::load_from_memory(&thumb).unwrap().to_rgb8();
        assert_eq!(t.dimensions(), (40, 30));
        assert!(t.pixels().all(|p| p.0.iter().all(|c| *c > 240)), "white");
    }

    #[test]
    fn photos_are_turned_upright() {
        // A 200 × 100 JPEG whose EXIF says "rotate 90° clockwise to show", as phones write.
        let img = image::RgbImage::from_pixel(200, 100, image::Rgb([30, 120, 200]));
        let mut jpeg = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new(&mut jpeg);
        let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
        exif.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0]);
        image::ImageEncoder::set_exif_metadata(&mut encoder, exif).unwrap();
        image::ImageEncoder::write_image(
            encoder,
            img.as_raw(),
            200,
            100,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        let t = image::load_from_memory(&make(&jpeg).unwrap()).unwrap();
        assert_eq!((t.width(), t.height()), (100, 200));
    }

    #[test]
    fn junk_and_giants_make_none() {
        assert!(make(b"not an image").is_none());
        let mut head = png(1, 1, 255);
        // The same header claiming 20000 × 20000 pixels: refused before decoding.
        head[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        head[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert!(make(&head).is_none());
        assert!(!applies("image/svg+xml"));
        assert!(applies("image/jpeg"));
    }
}
