//! Plain text documents as PDF: a title, headings, wrapped paragraphs and rules on US Letter pages,
//! with a footer on each page. Set in the PDF's built-in Helvetica, so nothing is embedded and any
//! reader shows it; text is encoded as WinAnsi (Latin-1 and common punctuation; anything else is
//! printed as "?").

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One piece of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    /// Prose: each line break starts a new paragraph.
    Text(String),
    /// Secondary lines (dates, who signed), smaller and grey.
    Small(String),
    /// A thin horizontal line.
    Rule,
}

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 60.0;
const FOOTER_Y: f32 = 36.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }

    fn widths(self) -> &'static [u16; 256] {
        static REGULAR: OnceLock<[u16; 256]> = OnceLock::new();
        static BOLD: OnceLock<[u16; 256]> = OnceLock::new();
        match self {
            Face::Regular => {
                REGULAR.get_or_init(|| winansi_widths(pdf_core_14_font_afms::HELVETICA))
            }
            Face::Bold => {
                BOLD.get_or_init(|| winansi_widths(pdf_core_14_font_afms::HELVETICA_BOLD))
            }
        }
    }

    /// Width in points of WinAnsi-encoded text at `size`.
    fn measure(self, text: &[u8], size: f32) -> f32 {
        let widths = self.widths();
        text.iter()
            .map(|b| f32::from(widths[*b as usize]))
            .sum::<f32>()
            * size
            / 1000.0
    }
}

/// A line set on a page.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    face: Face,
    size: f32,
    grey: bool,
    /// Space taken above the line's baseline (leading plus any gap before it).
    advance: f32,
    /// From the left margin: a paragraph's leading spaces indent all its lines.
    indent: f32,
    text: Vec<u8>,
    rule: bool,
}

/// Lays the blocks out on pages and writes the PDF.
pub fn render(title: &str, blocks: &[Block], footer: &str) -> Vec<u8> {
    let pages = paginate(&lines(blocks));
    write(title, &pages, footer)
}

fn lines(blocks: &[Block]) -> Vec<Line> {
    let mut out = Vec::new();
    for block in blocks {
        let (face, size, grey, gap, text) = match block {
            Block::Title(t) => (Face::Bold, 16.0, false, 0.0, t),
            Block::Heading(t) => (Face::Bold, 11.5, false, 10.0, t),
            Block::Text(t) => (Face::Regular, 10.5, false, 2.0, t),
            Block::Small(t) => (Face::Regular, 9.0, true, 1.0, t),
            Block::Rule => {
                out.push(Line {
                    face: Face::Regular,
                    size: 6.0,
                    grey: true,
                    advance: 10.0,
                    indent: 0.0,
                    text: Vec::new(),
                    rule: true,
                });
                continue;
            }
        };
        for (i, paragraph) in text.split('\n').enumerate() {
            let indent = (paragraph.len() - paragraph.trim_start_matches(' ').len()) as f32 * 5.0;
            let wrapped = wrap(&encode(paragraph), face, size, TEXT_WIDTH - indent);
            for (j, text) in wrapped.into_iter().enumerate() {
                let first = i == 0 && j == 0;
                let paragraph_gap = if i > 0 && j == 0 { 3.0 } else { 0.0 };
                out.push(Line {
                    face,
                    size,
                    grey,
                    advance: size * 1.35 + if first { gap } else { paragraph_gap },
                    indent,
                    text,
                    rule: false,
                });
            }
        }
    }
    out
}

/// Breaks text into lines no wider than `width`, at spaces where it can and inside a word where a
/// single word is wider than the line.
fn wrap(text: &[u8], face: Face, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if face.measure(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for &b in word {
            line.push(b);
            if face.measure(&line, size) > width {
                line.pop();
                lines.push(std::mem::replace(&mut line, vec![b]));
            }
        }
    }
    lines.push(line);
    lines
}

/// Fills pages top to bottom; a heading never ends a page (it moves to the next with its text).
fn paginate(lines: &[Line]) -> Vec<Vec<(f32, Line)>> {
    let top = PAGE_HEIGHT - MARGIN;
    let bottom = MARGIN;
    let mut pages = vec![Vec::new()];
    let mut y = top;
    for (i, line) in lines.iter().enumerate() {
        let is_heading = line.face == Face::Bold && !line.rule;
        let needed = line.advance
            + if is_heading {
                lines.get(i + 1).map_or(0.0, |next| next.advance)
            } else {
                0.0
            };
        let page_is_empty = pages.last().is_some_and(Vec::is_empty);
        if y - needed < bottom && !page_is_empty {
            pages.push(Vec::new());
            y = top;
        }
        let first_on_page = pages.last().is_some_and(Vec::is_empty);
        // the first line of a page starts at the top margin, without the gap meant to separate it
        y -= if first_on_page {
            line.size
        } else {
            line.advance
        };
        if let Some(page) = pages.last_mut() {
            page.push((y, line.clone()));
        }
    }
    pages
}

fn write(title: &str, pages: &[Vec<(f32, Line)>], footer: &str) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let page_ref = |i: usize, part: i32| Ref::new(6 + 2 * i as i32 + part);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(|i| page_ref(i, 0)))
        .count(pages.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("MentalSpace EHR"));
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, lines) in pages.iter().enumerate() {
        let mut page = pdf.page(page_ref(i, 0));
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(page_ref(i, 1));
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Face::Regular.resource(), regular);
        fonts.pair(Face::Bold.resource(), bold);
        fonts.finish();
        resources.finish();
        page.finish();

        let mut content = Content::new();
        for (y, line) in lines {
            if line.rule {
                content
                    .set_stroke_gray(0.6)
                    .set_line_width(0.5)
                    .move_to(MARGIN, *y)
                    .line_to(PAGE_WIDTH - MARGIN, *y)
                    .stroke();
                continue;
            }
            text_at(&mut content, line, MARGIN + line.indent, *y);
        }
        let page_footer = format!("{footer} · Page {} of {}", i + 1, pages.len());
        let footer_line = Line {
            face: Face::Regular,
            size: 8.0,
            grey: true,
            advance: 0.0,
            indent: 0.0,
            text: encode(&page_footer),
            rule: false,
        };
        text_at(&mut content, &footer_line, MARGIN, FOOTER_Y);
        pdf.stream(page_ref(i, 1), &content.finish());
    }
    pdf.finish()
}

fn text_at(content: &mut Content, line: &Line, x: f32, y: f32) {
    content
        .set_fill_gray(if line.grey { 0.35 } else { 0.0 })
        .begin_text()
        .set_font(line.face.resource(), line.size)
        .next_line(x, y)
        .show(Str(&line.text))
        .end_text();
}

/// Text as WinAnsi bytes: Latin-1 as is, typographic punctuation to its WinAnsi code, tabs and
/// other controls to spaces, anything else to "?".
pub fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' | '\u{A0}'..='\u{FF}' => c as u8,
            '\t' | '\r' => b' ',
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '…' => 0x85,
            _ => b'?',
        })
        .collect()
}

/// Glyph widths (thousandths of the font size) by WinAnsi code, from the font's AFM metrics.
fn winansi_widths(afm: &str) -> [u16; 256] {
    let mut by_code: HashMap<i32, u16> = HashMap::new();
    let mut by_name: HashMap<&str, u16> = HashMap::new();
    for line in afm.lines().filter(|l| l.starts_with("C ")) {
        let mut code = None;
        let mut width = None;
        let mut name = None;
        for field in line.split(';').map(str::trim) {
            let mut parts = field.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some("C"), Some(v)) => code = v.parse::<i32>().ok(),
                (Some("WX"), Some(v)) => width = v.parse::<u16>().ok(),
                (Some("N"), Some(v)) => name = Some(v),
                _ => {}
            }
        }
        if let (Some(width), Some(name)) = (width, name) {
            by_name.insert(name, width);
            if let Some(code) = code.filter(|c| *c >= 0) {
                by_code.insert(code, width);
            }
        }
    }
    // Printable ASCII has the same glyphs in the AFM's standard encoding and in WinAnsi, but for
    // the two quote marks.
    let mut widths = [0u16; 256];
    for (code, width) in widths.iter_mut().enumerate().take(127).skip(32) {
        *width = by_code.get(&(code as i32)).copied().unwrap_or(0);
    }
    widths[39] = by_name.get("quotesingle").copied().unwrap_or(widths[39]);
    widths[96] = by_name.get("grave").copied().unwrap_or(widths[96]);
    for (code, name) in [
        (0x85, "ellipsis"),
        (0x91, "quoteleft"),
        (0x92, "quoteright"),
        (0x93, "quotedblleft"),
        (0x94, "quotedblright"),
        (0x95, "bullet"),
        (0x96, "endash"),
        (0x97, "emdash"),
        (0xB7, "periodcentered"),
    ] {
        widths[code] = by_name.get(name).copied().unwrap_or(0);
    }
    // Accented letters and other Latin-1 signs: measured as the widest letter, so a line never
    // runs past the margin (it may wrap a little early).
    let widest = widths.iter().copied().max().unwrap_or(1000);
    for (code, width) in widths.iter_mut().enumerate().skip(0xA0) {
        if code != 0xB7 {
            *width = widest;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_metrics() {
        let w = Face::Regular.widths();
        assert_eq!(w[b' ' as usize], 278);
        assert_eq!(w[b'W' as usize], 944);
        assert_eq!(w[b'\'' as usize], 191);
        assert_eq!(Face::Bold.widths()[b'a' as usize], 556);
    }

    #[test]
    fn encoding_keeps_latin1_and_punctuation_and_replaces_the_rest() {
        assert_eq!(encode("José’s – ok"), b"Jos\xe9\x92s \x96 ok".to_vec());
        assert_eq!(encode("日本"), b"??".to_vec());
    }

    #[test]
    fn wrapped_lines_fit_the_width_and_keep_every_word() {
        let text = "The client reports sleeping better and practising the breathing exercise daily; \
                    Supercalifragilisticexpialidociousandthensomemoretomakeitlongerthanaline ends it.";
        let lines = wrap(&encode(text), Face::Regular, 10.5, 200.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(Face::Regular.measure(line, 10.5) <= 200.0, "{line:?}");
        }
        let joined: Vec<u8> = lines.concat();
        let without_spaces: Vec<u8> = encode(text).into_iter().filter(|b| *b != b' ').collect();
        assert_eq!(
            joined
                .into_iter()
                .filter(|b| *b != b' ')
                .collect::<Vec<_>>(),
            without_spaces
        );
    }

    #[test]
    fn long_documents_flow_onto_numbered_pages() {
        let blocks: Vec<Block> = (0..120)
            .flat_map(|i| {
                [
                    Block::Heading(format!("Section {i}")),
                    Block::Text("A sentence of text. ".repeat(8)),
                ]
            })
            .collect();
        let pages = paginate(&lines(&blocks));
        assert!(pages.len() > 5);
        for page in &pages {
            let (last_y, last) = page.last().unwrap();
            assert!(*last_y >= MARGIN, "a line below the bottom margin");
            assert_ne!(last.face, Face::Bold, "a heading ends a page");
        }
        let pdf = render("Test", &blocks, "Confidential");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains(&format!("/Count {}", pages.len())));
    }
}
