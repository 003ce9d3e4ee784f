//! Just enough PDF reading to check what a reader would see: typst-pdf
//! compresses content streams and encodes text as glyph ids, so the text is
//! recovered through each font's ToUnicode map.

use std::collections::HashMap;

use miniz_oxide::inflate::decompress_to_vec_zlib;

pub struct Pdf {
    objects: HashMap<u32, Object>,
    trailer: String,
}

struct Object {
    dict: String,
    stream: Option<Vec<u8>>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The number after `key` in `dict`, e.g. `/Length 123` or `/Contents 9 0 R`.
fn number_after(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(key)? + key.len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// All `N 0 R` references in `text`.
fn references(text: &str) -> Vec<u32> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "[]<>/".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    tokens
        .windows(3)
        .filter(|w| w[1] == "0" && w[2] == "R")
        .filter_map(|w| w[0].parse().ok())
        .collect()
}

/// The balanced `<<...>>` that follows `key` in `dict`.
fn subdict<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
    let start = dict.find(key)? + key.len();
    let rest = dict[start..].trim_start();
    if !rest.starts_with("<<") {
        return None;
    }
    let mut depth = 0;
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if &bytes[i..i + 2] == b"<<" {
            depth += 1;
            i += 2;
        } else if &bytes[i..i + 2] == b">>" {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(&rest[2..i - 2]);
            }
        } else {
            i += 1;
        }
    }
    None
}

impl Pdf {
    pub fn parse(bytes: &[u8]) -> Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF header");
        assert!(
            bytes.trim_ascii_end().ends_with(b"%%EOF"),
            "no %%EOF trailer"
        );
        let mut objects = HashMap::new();
        let mut pos = 0;
        while let Some(at) = find(bytes, b" 0 obj", pos) {
            let id_start = bytes[..at]
                .iter()
                .rposition(|b| !b.is_ascii_digit())
                .map_or(0, |p| p + 1);
            let id: u32 = std::str::from_utf8(&bytes[id_start..at])
                .unwrap()
                .parse()
                .unwrap();
            let body = at + b" 0 obj".len();
            let stream_kw = find(bytes, b"stream", body);
            let end_kw = find(bytes, b"endobj", body).expect("endobj");
            let (dict, stream, next) = match stream_kw {
                Some(s) if s < end_kw => {
                    let dict = String::from_utf8_lossy(&bytes[body..s]).into_owned();
                    let mut data = s + b"stream".len();
                    if bytes[data] == b'\r' {
                        data += 1;
                    }
                    data += 1;
                    let len = number_after(&dict, "/Length").expect("direct /Length") as usize;
                    let raw = &bytes[data..data + len];
                    let stream = if dict.contains("/FlateDecode") {
                        decompress_to_vec_zlib(raw).expect("inflate")
                    } else {
                        raw.to_vec()
                    };
                    let end = find(bytes, b"endobj", data + len).expect("endobj");
                    (dict, Some(stream), end)
                }
                _ => (
                    String::from_utf8_lossy(&bytes[body..end_kw]).into_owned(),
                    None,
                    end_kw,
                ),
            };
            objects.insert(id, Object { dict, stream });
            pos = next;
        }
        let trailer_at = find(bytes, b"trailer", 0).expect("trailer");
        let trailer = String::from_utf8_lossy(&bytes[trailer_at..]).into_owned();
        Pdf { objects, trailer }
    }

    fn object(&self, id: u32) -> &Object {
        self.objects
            .get(&id)
            .unwrap_or_else(|| panic!("object {id} missing"))
    }

    fn catalog(&self) -> &str {
        &self
            .object(number_after(&self.trailer, "/Root").unwrap())
            .dict
    }

    /// `/Count` of the page tree.
    pub fn page_count(&self) -> u32 {
        let pages = number_after(self.catalog(), "/Pages").unwrap();
        number_after(&self.object(pages).dict, "/Count").unwrap()
    }

    /// The document language in the catalog, e.g. `es`.
    pub fn lang(&self) -> Option<String> {
        let catalog = self.catalog();
        let start = catalog.find("/Lang(")? + "/Lang(".len();
        Some(catalog[start..].split(')').next()?.to_owned())
    }

    /// The `/Title` of the document information dictionary.
    pub fn title(&self) -> Option<String> {
        let info = &self.object(number_after(&self.trailer, "/Info")?).dict;
        let rest = &info[info.find("/Title")? + "/Title".len()..];
        if let Some(hex) = rest.strip_prefix('<') {
            let bytes = hex_bytes(hex.split('>').next()?);
            Some(utf16be(bytes.get(2..)?))
        } else {
            Some(rest.strip_prefix('(')?.split(')').next()?.to_owned())
        }
    }

    /// How many raster images the file holds.
    pub fn image_count(&self) -> usize {
        self.objects
            .values()
            .filter(|o| o.dict.contains("/Subtype/Image"))
            .count()
    }

    fn page_ids(&self, node: u32, out: &mut Vec<u32>) {
        let dict = &self.object(node).dict;
        if dict.contains("/Type/Pages") {
            let kids = &dict[dict.find("/Kids").unwrap()..];
            let kids = &kids[..kids.find(']').unwrap()];
            for kid in references(kids) {
                self.page_ids(kid, out);
            }
        } else {
            out.push(node);
        }
    }

    /// The text shown on each page, in page order.
    pub fn page_texts(&self) -> Vec<String> {
        let mut pages = Vec::new();
        self.page_ids(number_after(self.catalog(), "/Pages").unwrap(), &mut pages);
        pages.into_iter().map(|page| self.page_text(page)).collect()
    }

    /// All text of the document.
    pub fn text(&self) -> String {
        self.page_texts().join("\n")
    }

    fn page_text(&self, page: u32) -> String {
        let dict = &self.object(page).dict;
        let resources = match number_after(dict, "/Resources") {
            Some(id) => self.object(id).dict.as_str(),
            None => subdict(dict, "/Resources").unwrap(),
        };
        let mut fonts = HashMap::new();
        if let Some(font_dict) = subdict(resources, "/Font") {
            for entry in font_dict.split('/').filter(|e| !e.is_empty()) {
                let name = entry.split_whitespace().next().unwrap().to_owned();
                let font = references(&format!("/{entry}"))[0];
                let to_unicode = number_after(&self.object(font).dict, "/ToUnicode").unwrap();
                let cmap = self.object(to_unicode).stream.as_ref().unwrap();
                fonts.insert(name, parse_cmap(&String::from_utf8_lossy(cmap)));
            }
        }
        let contents = &dict[dict.find("/Contents").unwrap()..];
        let contents = match contents.find(']') {
            Some(end) if contents.starts_with("/Contents[") => &contents[..end],
            _ => contents.split(" R").next().unwrap(),
        };
        let mut text = String::new();
        for id in references(&format!("{contents} R")) {
            let stream = self.object(id).stream.as_ref().unwrap();
            show_text(stream, &fonts, &mut text);
        }
        text
    }
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

/// Glyph code to text, from the `bfchar` and `bfrange` sections of a CMap.
fn parse_cmap(cmap: &str) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    for section in cmap.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap();
        let hexes: Vec<&str> = body
            .split('<')
            .skip(1)
            .map(|h| h.split('>').next().unwrap())
            .collect();
        for pair in hexes.chunks(2) {
            map.insert(code_of(&hex_bytes(pair[0])), utf16be(&hex_bytes(pair[1])));
        }
    }
    for section in cmap.split("beginbfrange").skip(1) {
        let body = section.split("endbfrange").next().unwrap();
        for line in body.lines().filter(|l| l.contains('<')) {
            let hexes: Vec<Vec<u8>> = line
                .split('<')
                .skip(1)
                .map(|h| hex_bytes(h.split('>').next().unwrap()))
                .collect();
            let (lo, hi) = (code_of(&hexes[0]), code_of(&hexes[1]));
            if line.contains('[') {
                for (offset, dst) in hexes[2..].iter().enumerate() {
                    map.insert(lo + offset as u32, utf16be(dst));
                }
            } else {
                let base = hexes[2].clone();
                for code in lo..=hi {
                    let mut dst = base.clone();
                    let last = dst.len() - 1;
                    dst[last] = dst[last].wrapping_add((code - lo) as u8);
                    map.insert(code, utf16be(&dst));
                }
            }
        }
    }
    map
}

/// Walks a content stream and appends the text of every string shown between
/// `BT` and `ET`, decoded through the font selected by the last `Tf`.
fn show_text(stream: &[u8], fonts: &HashMap<String, HashMap<u32, String>>, out: &mut String) {
    let mut i = 0;
    let mut last_name = String::new();
    let mut font = String::new();
    let mut in_text = false;
    let decode = |bytes: &[u8], font: &str, out: &mut String| {
        let Some(cmap) = fonts.get(font) else { return };
        for pair in bytes.chunks(2) {
            if let Some(text) = cmap.get(&code_of(pair)) {
                out.push_str(text);
            }
        }
    };
    while i < stream.len() {
        let c = stream[i];
        match c {
            b'(' => {
                let mut depth = 1;
                let mut bytes = Vec::new();
                i += 1;
                while i < stream.len() {
                    match stream[i] {
                        b'\\' => {
                            i += 1;
                            match stream[i] {
                                b'n' => bytes.push(b'\n'),
                                b'r' => bytes.push(b'\r'),
                                b't' => bytes.push(b'\t'),
                                b'b' => bytes.push(8),
                                b'f' => bytes.push(12),
                                d @ b'0'..=b'7' => {
                                    let mut value = u32::from(d - b'0');
                                    for _ in 0..2 {
                                        match stream.get(i + 1) {
                                            Some(n @ b'0'..=b'7') => {
                                                value = value * 8 + u32::from(n - b'0');
                                                i += 1;
                                            }
                                            _ => break,
                                        }
                                    }
                                    bytes.push(value as u8);
                                }
                                other => bytes.push(other),
                            }
                        }
                        b'(' => {
                            depth += 1;
                            bytes.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            bytes.push(b')');
                        }
                        other => bytes.push(other),
                    }
                    i += 1;
                }
                i += 1;
                if in_text {
                    decode(&bytes, &font, out);
                }
            }
            b'<' if stream.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                let end = find(stream, b">", i).unwrap();
                if in_text {
                    decode(
                        &hex_bytes(&String::from_utf8_lossy(&stream[i + 1..end])),
                        &font,
                        out,
                    );
                }
                i = end + 1;
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < stream.len() && !b" \n\r\t/[]()<>".contains(&stream[i]) {
                    i += 1;
                }
                last_name = String::from_utf8_lossy(&stream[start..i]).into_owned();
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < stream.len() && stream[i].is_ascii_alphabetic() {
                    i += 1;
                }
                match &stream[start..i] {
                    b"BT" => in_text = true,
                    b"ET" => {
                        in_text = false;
                        out.push('\n');
                    }
                    b"Tf" => font = last_name.clone(),
                    _ => {}
                }
            }
            _ => i += 1,
        }
    }
}

/// `text` without any whitespace, so that line breaks and the spacing of
/// justified lines do not matter when looking for words.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A valid, minimal RGB PNG of one colour.
pub fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0_u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    // Each row: filter byte 0 (none), then the pixels.
    let row: Vec<u8> = std::iter::once(0)
        .chain(rgb.iter().copied().cycle().take(3 * width as usize))
        .collect();
    let raw = row.repeat(height as usize);
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}
