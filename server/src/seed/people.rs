//! Invented people for the demo practice: names, birthdays, phones and Chicago streets.

use app::clients::types::ClientStatus;

pub(super) struct FakePerson {
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) preferred: Option<&'static str>,
    pub(super) pronouns: &'static str,
    pub(super) sex: &'static str,
    pub(super) dob: chrono::NaiveDate,
    pub(super) phone: String,
    pub(super) email: String,
    pub(super) street: String,
    pub(super) zip: String,
    pub(super) status: ClientStatus,
}

pub(super) const FEMALE: &[&str] = &[
    "Olivia",
    "Emma",
    "Ava",
    "Sophia",
    "Isabella",
    "Mia",
    "Amelia",
    "Harper",
    "Evelyn",
    "Abigail",
    "Emily",
    "Ella",
    "Elizabeth",
    "Camila",
    "Luna",
    "Sofia",
    "Avery",
    "Mila",
    "Aria",
    "Scarlett",
    "Maya",
    "Nora",
    "Grace",
    "Zoe",
];
pub(super) const MALE: &[&str] = &[
    "Liam",
    "Noah",
    "Oliver",
    "Elijah",
    "James",
    "William",
    "Benjamin",
    "Lucas",
    "Henry",
    "Theodore",
    "Jack",
    "Levi",
    "Alexander",
    "Jackson",
    "Mateo",
    "Daniel",
    "Michael",
    "Mason",
    "Sebastian",
    "Ethan",
    "Logan",
    "Owen",
    "Samuel",
    "Jacob",
];
pub(super) const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Okafor",
    "Kowalski",
    "Novak",
    "Haddad",
    "Yamamoto",
    "Patel",
    "Cohen",
    "Murphy",
];
pub(super) const STREETS: &[&str] = &[
    "N Clark St",
    "W Fullerton Ave",
    "N Halsted St",
    "W Belmont Ave",
    "N Damen Ave",
    "W Armitage Ave",
    "N Lincoln Ave",
    "W Diversey Pkwy",
    "N Southport Ave",
    "W Addison St",
];

pub(super) fn fake_person(rng: &mut impl rand::Rng, n: u64) -> FakePerson {
    let female = rng.gen_bool(0.55);
    let first = if female {
        FEMALE[rng.gen_range(0..FEMALE.len())]
    } else {
        MALE[rng.gen_range(0..MALE.len())]
    };
    let last = LAST[rng.gen_range(0..LAST.len())];
    let dob = chrono::NaiveDate::from_ymd_opt(
        rng.gen_range(1945..2016),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
    )
    .unwrap_or_default();
    let status = match rng.gen_range(0..100) {
        0..=69 => ClientStatus::Active,
        70..=79 => ClientStatus::Waitlist,
        80..=87 => ClientStatus::Inquiry,
        88..=94 => ClientStatus::Inactive,
        _ => ClientStatus::Discharged,
    };
    FakePerson {
        first,
        last,
        preferred: (rng.gen_range(0..10) == 0).then_some(&first[..first.len().min(3)]),
        pronouns: if female { "she/her" } else { "he/him" },
        sex: if female { "female" } else { "male" },
        dob,
        // 555-01xx numbers are reserved for fiction; spread the rest of the digits over the exchange
        phone: format!("+1312555{:04}", n % 10_000),
        email: format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            n
        ),
        street: format!(
            "{} {}",
            rng.gen_range(100..4000),
            STREETS[rng.gen_range(0..STREETS.len())]
        ),
        zip: format!("606{:02}", rng.gen_range(1..60)),
        status,
    }
}
