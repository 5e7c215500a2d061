//! The CMS-1500 (02/12) paper claim as a PDF: the form's grid and box captions drawn in black on
//! white, and the claim's values (in Courier, as printers fill it) in their boxes. Six service lines
//! fit a form; a longer claim continues on further pages, the total on the last.

use super::edi::{BillingProvider, ClaimOut, Relationship};
use crate::pdf::encode;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 612.0;
const HEIGHT: f32 = 792.0;
const LEFT: f32 = 24.0;
const RIGHT: f32 = WIDTH - 24.0;
/// Service lines per form (box 24 has six).
pub const LINES_PER_PAGE: usize = 6;

/// A box of the form: its corner (from the top-left of the form area), size and caption.
struct FormBox {
    x: f32,
    top: f32,
    w: f32,
    h: f32,
    caption: &'static str,
}

const fn b(x: f32, top: f32, w: f32, h: f32, caption: &'static str) -> FormBox {
    FormBox {
        x,
        top,
        w,
        h,
        caption,
    }
}

/// The boxes of the form, in the 02/12 arrangement (three columns above box 21; the service lines;
/// the provider boxes at the foot). Coordinates are points from the top-left of the form area.
const BOXES: &[FormBox] = &[
    b(0.0, 0.0, 372.0, 24.0, "1. MEDICARE  MEDICAID  TRICARE  CHAMPVA  GROUP HEALTH PLAN  FECA  OTHER"),
    b(372.0, 0.0, 192.0, 24.0, "1a. INSURED'S I.D. NUMBER"),
    b(0.0, 24.0, 186.0, 24.0, "2. PATIENT'S NAME (Last, First, Middle)"),
    b(186.0, 24.0, 186.0, 24.0, "3. PATIENT'S BIRTH DATE   SEX"),
    b(372.0, 24.0, 192.0, 24.0, "4. INSURED'S NAME (Last, First, Middle)"),
    b(0.0, 48.0, 186.0, 24.0, "5. PATIENT'S ADDRESS (No., Street)"),
    b(186.0, 48.0, 186.0, 24.0, "6. PATIENT RELATIONSHIP TO INSURED"),
    b(372.0, 48.0, 192.0, 24.0, "7. INSURED'S ADDRESS (No., Street)"),
    b(0.0, 72.0, 186.0, 24.0, "CITY   STATE   ZIP CODE"),
    b(186.0, 72.0, 186.0, 24.0, "8. RESERVED FOR NUCC USE"),
    b(372.0, 72.0, 192.0, 24.0, "CITY   STATE   ZIP CODE"),
    b(0.0, 96.0, 186.0, 48.0, "9. OTHER INSURED'S NAME / 9a. POLICY OR GROUP / 9d. PLAN"),
    b(186.0, 96.0, 186.0, 48.0, "10. IS CONDITION RELATED TO: a. EMPLOYMENT b. AUTO c. OTHER"),
    b(372.0, 96.0, 192.0, 24.0, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
    b(372.0, 120.0, 192.0, 24.0, "11c. INSURANCE PLAN NAME   11d. ANOTHER PLAN?"),
    b(0.0, 144.0, 372.0, 24.0, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE   DATE"),
    b(372.0, 144.0, 192.0, 24.0, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE"),
    b(0.0, 168.0, 186.0, 24.0, "14. DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY"),
    b(186.0, 168.0, 186.0, 24.0, "15. OTHER DATE"),
    b(372.0, 168.0, 192.0, 24.0, "16. DATES PATIENT UNABLE TO WORK"),
    b(0.0, 192.0, 186.0, 24.0, "17. NAME OF REFERRING PROVIDER"),
    b(186.0, 192.0, 186.0, 24.0, "17b. NPI"),
    b(372.0, 192.0, 192.0, 24.0, "18. HOSPITALIZATION DATES"),
    b(0.0, 216.0, 372.0, 24.0, "19. ADDITIONAL CLAIM INFORMATION"),
    b(372.0, 216.0, 192.0, 24.0, "20. OUTSIDE LAB?   $ CHARGES"),
    b(0.0, 240.0, 372.0, 48.0, "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY (A-L)   ICD Ind. 0"),
    b(372.0, 240.0, 192.0, 24.0, "22. RESUBMISSION CODE   ORIGINAL REF. NO."),
    b(372.0, 264.0, 192.0, 24.0, "23. PRIOR AUTHORIZATION NUMBER"),
    b(0.0, 288.0, 564.0, 18.0, "24. A. DATE(S) OF SERVICE  B. POS  C. EMG  D. CPT/HCPCS  MODIFIER  E. DX PTR  F. $ CHARGES  G. UNITS  H.  I. QUAL  J. RENDERING NPI"),
    b(0.0, 450.0, 150.0, 24.0, "25. FEDERAL TAX I.D. NUMBER  SSN EIN"),
    b(150.0, 450.0, 112.0, 24.0, "26. PATIENT'S ACCOUNT NO."),
    b(262.0, 450.0, 110.0, 24.0, "27. ACCEPT ASSIGNMENT?"),
    b(372.0, 450.0, 80.0, 24.0, "28. TOTAL CHARGE"),
    b(452.0, 450.0, 70.0, 24.0, "29. AMOUNT PAID"),
    b(522.0, 450.0, 42.0, 24.0, "30. Rsvd"),
    b(0.0, 474.0, 150.0, 60.0, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER"),
    b(150.0, 474.0, 222.0, 60.0, "32. SERVICE FACILITY LOCATION INFORMATION"),
    b(372.0, 474.0, 192.0, 60.0, "33. BILLING PROVIDER INFO & PH #"),
];

/// The left edges of box 24's columns, and the service lines' first row.
const COLUMNS: [f32; 10] = [
    0.0, 110.0, 140.0, 166.0, 290.0, 330.0, 400.0, 440.0, 460.0, 480.0,
];
const LINES_TOP: f32 = 306.0;
const LINE_HEIGHT: f32 = 24.0;
/// The form area's top edge on the page.
const FORM_TOP: f32 = HEIGHT - 84.0;

/// A value set in the form at (x, top) from the form area's corner.
struct Fill {
    x: f32,
    top: f32,
    text: String,
}

fn fill(x: f32, top: f32, text: impl Into<String>) -> Fill {
    Fill {
        x,
        top,
        text: text.into(),
    }
}

fn name(last: &str, first: &str) -> String {
    format!("{}, {}", last.to_uppercase(), first.to_uppercase())
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%m %d %Y").to_string()
}

/// Dollars and cents with a space for the form's dotted divider: 12000 → "120 00".
fn money(cents: i64) -> String {
    format!("{} {:02}", cents / 100, cents % 100)
}

/// Box 1: the program the payer's plan belongs to.
fn program(filing_indicator: &str) -> &'static str {
    crate::billing::types::FilingIndicator::parse(filing_indicator)
        .map_or("GROUP HEALTH PLAN", |f| f.form_program())
}

/// The values of the boxes above the service lines and at the foot (the same on every page).
fn header_fills(c: &ClaimOut, billing: &BillingProvider) -> Vec<Fill> {
    let p = &c.patient;
    let s = &c.subscriber;
    let relationship = match c.relationship {
        Relationship::Own => "SELF",
        Relationship::Spouse => "SPOUSE",
        Relationship::Child => "CHILD",
        Relationship::Other => "OTHER",
    };
    let mut out = vec![
        fill(240.0, 15.0, format!("X {}", program(&c.filing_indicator))),
        fill(376.0, 15.0, c.member_id.clone()),
        fill(4.0, 39.0, name(&p.last_name, &p.first_name)),
        fill(
            190.0,
            39.0,
            format!("{}   {}", date(p.date_of_birth), p.sex.code()),
        ),
        fill(376.0, 39.0, name(&s.last_name, &s.first_name)),
        fill(190.0, 63.0, format!("X {relationship}")),
        fill(190.0, 111.0, "a. NO   b. NO   c. NO"),
        fill(376.0, 111.0, c.group_number.clone().unwrap_or_default()),
        fill(
            376.0,
            135.0,
            format!("{}   NO", c.payer_name.to_uppercase()),
        ),
        fill(4.0, 159.0, "SIGNATURE ON FILE"),
        fill(376.0, 159.0, "SIGNATURE ON FILE"),
        fill(154.0, 465.0, c.claim_number.clone()),
        fill(266.0, 465.0, "X YES"),
        fill(4.0, 465.0, format!("{}   X EIN", billing.tax_id)),
        fill(4.0, 510.0, "SIGNATURE ON FILE"),
    ];
    for (top, address) in [(63.0, &p.address), (87.0, &p.address)] {
        if let Some(a) = address {
            let text = if top < 70.0 {
                a.line1.to_uppercase()
            } else {
                format!("{}   {}   {}", a.city.to_uppercase(), a.state, a.zip)
            };
            out.push(fill(4.0, top, text.clone()));
            if c.relationship == Relationship::Own {
                out.push(fill(376.0, top, text));
            }
        }
    }
    for (i, code) in c.diagnoses.iter().enumerate() {
        let letter = (b'A' + i as u8) as char;
        let (col, row) = (i % 4, i / 4);
        out.push(fill(
            4.0 + 92.0 * col as f32,
            257.0 + 11.0 * row as f32,
            format!("{letter}. {code}"),
        ));
    }
    if c.frequency != "1" {
        out.push(fill(
            376.0,
            255.0,
            format!(
                "{}   {}",
                c.frequency,
                c.original_claim_number.clone().unwrap_or_default()
            ),
        ));
    }
    if let Some(auth) = &c.prior_auth {
        out.push(fill(376.0, 279.0, auth.clone()));
    }
    let a = &billing.address;
    for (i, line) in [
        billing
            .name
            .to_uppercase()
            .chars()
            .take(34)
            .collect::<String>(),
        a.line1.to_uppercase(),
        format!("{}   {}   {}", a.city.to_uppercase(), a.state, a.zip),
        format!("a. {}   PH {}", billing.npi, billing.phone),
    ]
    .into_iter()
    .enumerate()
    {
        out.push(fill(376.0, 489.0 + 10.0 * i as f32, line));
    }
    out
}

/// The CMS-1500 of one claim: one page per six service lines.
pub fn render(c: &ClaimOut, billing: &BillingProvider) -> Vec<u8> {
    let header = header_fills(c, billing);
    let rendering_npi = c
        .rendering
        .as_ref()
        .map_or(billing.npi.as_str(), |r| r.npi.as_str());
    let chunks: Vec<_> = c.lines.chunks(LINES_PER_PAGE).collect();
    let pages = chunks.len().max(1);
    let total: i64 = c.lines.iter().map(|l| l.amount_cents).sum();
    let mut pdf = Pdf::new();
    let (catalog, tree, regular, mono, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let page_ref = |i: usize, part: i32| Ref::new(6 + 2 * i as i32 + part);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages).map(|i| page_ref(i, 0)))
        .count(pages as i32);
    pdf.document_info(info)
        .title(TextStr(&format!("CMS-1500 claim {}", c.claim_number)))
        .producer(TextStr("MentalSpace EHR"));
    for (id, font) in [(regular, "Helvetica"), (mono, "Courier")] {
        pdf.type1_font(id)
            .base_font(Name(font.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for page in 0..pages {
        let mut p = pdf.page(page_ref(page, 0));
        p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(page_ref(page, 1));
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), mono);
        fonts.finish();
        resources.finish();
        p.finish();

        let mut content = Content::new();
        grid(&mut content, page + 1, pages);
        let mut fills: Vec<Fill> = header
            .iter()
            .map(|f| fill(f.x, f.top, f.text.clone()))
            .collect();
        let lines = chunks.get(page).copied().unwrap_or_default();
        for (row, l) in lines.iter().enumerate() {
            let top = LINES_TOP + LINE_HEIGHT * row as f32 + 15.0;
            let d = l.service_date.format("%m %d %y").to_string();
            let cells = [
                format!("{d} {d}"),
                l.place_of_service.clone(),
                String::new(),
                format!("{} {}", l.code, l.modifiers.join(" ")),
                l.pointers
                    .iter()
                    .map(|p| ((b'A' + (*p as u8).saturating_sub(1)) as char).to_string())
                    .collect::<String>(),
                money(l.amount_cents),
                l.units.to_string(),
                String::new(),
                "NPI".to_owned(),
                rendering_npi.to_owned(),
            ];
            for (x, text) in COLUMNS.iter().zip(cells) {
                fills.push(fill(x + 3.0, top, text));
            }
        }
        let last = page + 1 == pages;
        fills.push(fill(
            376.0,
            465.0,
            if last {
                money(total)
            } else {
                "CONTINUED".into()
            },
        ));
        for f in &fills {
            content
                .set_fill_gray(0.0)
                .begin_text()
                .set_font(Name(b"F2"), 9.0)
                .next_line(LEFT + f.x, FORM_TOP - f.top)
                .show(Str(&encode(&f.text)))
                .end_text();
        }
        pdf.stream(page_ref(page, 1), &content.finish());
    }
    pdf.finish()
}

/// The form's printed part: title, boxes with captions, the six service-line rows.
fn grid(content: &mut Content, page: usize, pages: usize) {
    let caption = |content: &mut Content, x: f32, y: f32, size: f32, text: &str| {
        content
            .set_fill_gray(0.0)
            .begin_text()
            .set_font(Name(b"F1"), size)
            .next_line(x, y)
            .show(Str(&encode(text)))
            .end_text();
    };
    caption(
        content,
        LEFT,
        HEIGHT - 40.0,
        13.0,
        "HEALTH INSURANCE CLAIM FORM",
    );
    caption(
        content,
        LEFT,
        HEIGHT - 52.0,
        6.5,
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
    );
    caption(
        content,
        RIGHT - 80.0,
        HEIGHT - 40.0,
        8.0,
        &format!("PAGE {page} OF {pages}"),
    );
    content.set_stroke_gray(0.0).set_line_width(0.6);
    for bx in BOXES {
        content
            .rect(LEFT + bx.x, FORM_TOP - bx.top - bx.h, bx.w, bx.h)
            .stroke();
        caption(
            content,
            LEFT + bx.x + 2.0,
            FORM_TOP - bx.top - 6.5,
            5.0,
            bx.caption,
        );
    }
    // box 24: six rows, ten columns
    for row in 0..LINES_PER_PAGE {
        let top = LINES_TOP + LINE_HEIGHT * row as f32;
        content
            .rect(LEFT, FORM_TOP - top - LINE_HEIGHT, 564.0, LINE_HEIGHT)
            .stroke();
        caption(
            content,
            LEFT - 10.0,
            FORM_TOP - top - 16.0,
            7.0,
            &(row + 1).to_string(),
        );
    }
    for x in COLUMNS.iter().skip(1) {
        content
            .move_to(LEFT + x, FORM_TOP - LINES_TOP)
            .line_to(
                LEFT + x,
                FORM_TOP - LINES_TOP - LINE_HEIGHT * LINES_PER_PAGE as f32,
            )
            .stroke();
    }
    caption(
        content,
        LEFT,
        24.0,
        6.0,
        "NUCC Instruction Manual available at: www.nucc.org   APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    );
}
