//! Small real receipt files (E17): a one-page PDF naming the transaction, and a JPEG.

/// A one-page PDF 1.4 with the receipt's lines in Helvetica, its cross-reference table at the
/// byte offsets it states.
pub(crate) fn pdf(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 50 780 Td 16 TL\n");
    for line in lines {
        // Only printable ASCII goes into the content stream; PDF strings escape `\`, `(`, `)`.
        let safe: String = line
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        let escaped = safe
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        text.push_str(&format!("({escaped}) Tj T*\n"));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.extend_from_slice(table.as_bytes());
    out
}

/// An 8×8 grey baseline JPEG (JFIF): one block whose only coefficient is a zero DC, coded
/// with one-symbol Huffman tables.
pub(crate) fn jpeg() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // APP0 JFIF 1.01, no density units, no thumbnail.
    out.extend_from_slice(&[
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00,
    ]);
    // DQT: table 0, every entry 1.
    out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    out.extend_from_slice(&[1; 64]);
    // SOF0: 8 bits, 8×8, one component (id 1, 1×1 sampling, table 0).
    out.extend_from_slice(&[
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
    ]);
    // DHT: DC table 0 and AC table 0, each one code of length 1 for symbol 0 (DC difference
    // category 0; AC end of block).
    for class in [0x00, 0x10] {
        out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, class, 0x01]);
        out.extend_from_slice(&[0; 15]);
        out.push(0x00);
    }
    // SOS: one component, tables 0/0, full spectral range.
    out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    // The block: DC code `0`, end of block `0`, padded with ones.
    out.push(0b0011_1111);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_cross_reference_points_at_its_objects() {
        let file = pdf(&["Receipt (No. 1)".into(), "Сумма 70".into()]);
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|rest| rest.lines().next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[start..].starts_with("xref\n0 6\n"));
        for (index, line) in text[start..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", index + 1)),
                "{line}"
            );
        }
        assert!(text.contains("(Receipt \\(No. 1\\)) Tj"));
        assert!(!text.contains("Сумма") && text.contains("(????? 70) Tj"));
    }

    #[test]
    fn the_jpeg_segments_have_their_stated_lengths() {
        let file = jpeg();
        assert_eq!(&file[..2], &[0xFF, 0xD8]);
        assert_eq!(&file[file.len() - 2..], &[0xFF, 0xD9]);
        let mut at = 2;
        let mut markers = Vec::new();
        while file[at] == 0xFF && file[at + 1] != 0xDA {
            markers.push(file[at + 1]);
            let length = usize::from(file[at + 2]) << 8 | usize::from(file[at + 3]);
            at += 2 + length;
        }
        assert_eq!(markers, [0xE0, 0xDB, 0xC0, 0xC4, 0xC4]);
        assert_eq!(&file[at..at + 2], &[0xFF, 0xDA]);
        assert_eq!(at + 2 + 8 + 1 + 2, file.len(), "SOS, one byte of data, EOI");
    }
}
