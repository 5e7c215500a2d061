//! Demo notes, written through the documents repo as the app writes them, and measures.

use sqlx::PgPool;

/// A completed demo session to document.
#[derive(sqlx::FromRow)]
pub(super) struct DemoSession {
    appointment_id: uuid::Uuid,
    client_id: uuid::Uuid,
    clinician_id: uuid::Uuid,
    role: String,
    clinician_name: String,
    supervisor_id: Option<uuid::Uuid>,
    service_date: chrono::NaiveDate,
    ends_at: chrono::DateTime<chrono::Utc>,
    luck: i32,
}

/// Notes for the demo practice (once): signed progress notes for most past sessions in each
/// clinician's format (the intern's co-signed, the last week's awaiting co-signature), drafts and a
/// few undocumented sessions in the last days, a treatment plan per client, and PHQ-9/GAD-7 series
/// that improve for most clients.
pub async fn demo_notes(
    pool: &PgPool,
    keys: &app::crypto::Keyring,
) -> Result<u64, crate::AnyError> {
    use app::documents::server::repo::{insert_note, NoteInsert};
    use app::documents::server::sealing::{seal_content, signature_digest};
    use app::documents::types::{NoteFormat, NoteKind, NoteStatus};
    use app::ids::{AppointmentId, ClientId, NoteId, UserId};
    let mut tx = pool.begin().await?;
    let already: bool =
        sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM clinical_notes) AS "exists!""#)
            .fetch_one(&mut *tx)
            .await?;
    if already {
        return Ok(0);
    }
    let sessions: Vec<DemoSession> = sqlx::query_as!(
        DemoSession,
        r#"SELECT a.id AS appointment_id, ac.client_id, a.clinician_id, u.role::text AS "role!",
                u.display_name AS clinician_name, sp.supervisor_id AS "supervisor_id?",
                (a.starts_at AT TIME ZONE p.time_zone)::date AS "service_date!", a.ends_at,
                (hashtext(a.id::text) & 2147483647) % 100 AS "luck!"
           FROM appointments a
           JOIN appointment_clients ac ON ac.appointment_id = a.id
           JOIN users u ON u.id = a.clinician_id
           LEFT JOIN staff_profiles sp ON sp.user_id = a.clinician_id
          CROSS JOIN practice p
          WHERE a.status = 'completed'
            AND u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
          ORDER BY a.starts_at"#,
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = chrono::Utc::now();
    let mut written = 0u64;
    let mut plans = std::collections::HashMap::new();
    for s in &sessions {
        let age = now - s.ends_at;
        let recent = age < chrono::Duration::days(3);
        // a few recent sessions stay undocumented, some are drafts; the rest are signed
        if recent && s.luck < 25 {
            continue;
        }
        let draft = recent && s.luck < 60;
        let intern = s.role == "intern";
        let format = match s.role.as_str() {
            "intern" => NoteFormat::Dap,
            "supervisor" => NoteFormat::Birp,
            _ => NoteFormat::Soap,
        };
        let signer = UserId(s.clinician_id);
        let signed_at = s.ends_at + chrono::Duration::hours(2);
        // each client's first documented session comes with a signed treatment plan
        if !draft && !intern && !plans.contains_key(&s.client_id) {
            let plan = demo_plan(s);
            let plan_id = NoteId(uuid::Uuid::new_v4());
            let sealed = seal_content(keys, plan_id, &plan);
            let at = signed_at - chrono::Duration::minutes(5);
            let note = NoteInsert {
                status: NoteStatus::Signed,
                content_sha256: Some(signature_digest(plan_id, signer, &plan)),
                signed_by: Some(signer),
                signed_at: Some(at),
                created_at: Some(at),
                ..NoteInsert::draft(
                    plan_id,
                    ClientId(s.client_id),
                    None,
                    signer,
                    NoteKind::TreatmentPlan,
                    None,
                    s.service_date,
                    &sealed,
                )
            };
            insert_note(&mut tx, &note).await?;
            written += 1;
            plans.insert(s.client_id, plan_id);
        }
        let mut content = demo_progress(format.as_str(), s.luck);
        if let Some(plan) = plans.get(&s.client_id) {
            let objective = if s.luck % 2 == 0 { "o1" } else { "o2" };
            content.insert(
                app::documents::plan::OBJECTIVES_KEY.to_owned(),
                app::documents::plan::objective_key(*plan, objective),
            );
        }
        let id = NoteId(uuid::Uuid::new_v4());
        let sealed = seal_content(keys, id, &content);
        let (status, cosigner, cosigned_at) = match (draft, intern) {
            (true, _) => (NoteStatus::Draft, None, None),
            (false, true) if age < chrono::Duration::days(7) => {
                (NoteStatus::AwaitingCosign, s.supervisor_id, None)
            }
            (false, true) => (
                NoteStatus::Signed,
                s.supervisor_id,
                Some(signed_at + chrono::Duration::hours(20)),
            ),
            (false, false) => (NoteStatus::Signed, None, None),
        };
        let note = NoteInsert {
            status,
            content_sha256: (!draft).then(|| signature_digest(id, signer, &content)),
            signed_by: (!draft).then_some(signer),
            signed_at: (!draft).then_some(signed_at),
            cosigner: cosigner.map(UserId),
            cosigned_at,
            created_at: Some(s.ends_at),
            ..NoteInsert::draft(
                id,
                ClientId(s.client_id),
                Some(AppointmentId(s.appointment_id)),
                signer,
                NoteKind::Progress,
                Some(format),
                s.service_date,
                &sealed,
            )
        };
        insert_note(&mut tx, &note).await?;
        written += 1;
    }
    demo_measures(&mut tx).await?;
    tx.commit().await?;
    Ok(written)
}

/// A structured treatment plan: two problems, each with a goal, a measurable objective ("o1", "o2")
/// and the interventions toward it, reviewed after 90 days.
pub(super) fn demo_plan(s: &DemoSession) -> app::documents::types::NoteContent {
    use app::documents::plan::*;
    let target = (s.service_date + chrono::Duration::days(90))
        .format("%m/%d/%Y")
        .to_string();
    let objective = |id: &str, statement: &str, intervention: &str| Objective {
        id: id.into(),
        statement: statement.into(),
        target_date: target.clone(),
        status: "in_progress".into(),
        interventions: vec![Intervention {
            description: intervention.into(),
            frequency: "Weekly".into(),
            responsible: s.clinician_name.clone(),
        }],
    };
    let plan = TreatmentPlan {
        problems: vec![
            Problem {
                statement: "Persistent worry that disrupts sleep and work.".into(),
                goals: vec![Goal {
                    statement: "Sleep through most nights.".into(),
                    objectives: vec![objective(
                        "o1",
                        "Use the wind-down routine on 5 of 7 nights",
                        "CBT for worry and sleep (53 min)",
                    )],
                }],
            },
            Problem {
                statement: "Low mood on weekends.".into(),
                goals: vec![Goal {
                    statement: "Plan one valued activity each weekend.".into(),
                    objectives: vec![objective(
                        "o2",
                        "Log a planned weekend activity every week",
                        "Behavioral activation with a weekly activity log",
                    )],
                }],
            },
        ],
    };
    [
        (PLAN_KEY.to_owned(), plan.to_content()),
        ("review_date".to_owned(), target.clone()),
        ("client_agreement".to_owned(), "agreed".to_owned()),
    ]
    .into_iter()
    .collect()
}

/// A progress note's sections in `format`, varied a little by `luck`.
pub(super) fn demo_progress(format: &str, luck: i32) -> app::documents::types::NoteContent {
    const REPORTS: [&str; 4] = [
        "Client reports sleeping better since starting the wind-down routine; worry is lower at work.",
        "Client describes a difficult week with family conflict; used breathing skills twice.",
        "Client reports steady mood, completed the activity log, and went for two walks.",
        "Client reports more worry before a deadline; sleep was broken on three nights.",
    ];
    let report = REPORTS[(luck % 4) as usize];
    let observed = "Alert, oriented, good eye contact; affect congruent, speech normal.";
    let assessment = "Symptoms are improving with practice; engaged and motivated.";
    let plan = "Continue weekly sessions; practise the wind-down routine nightly and log worry.";
    let sections: Vec<(&str, &str)> = match format {
        "dap" => vec![("data", report), ("assessment", assessment), ("plan", plan)],
        "birp" => vec![
            ("behavior", report),
            (
                "intervention",
                "Reviewed the thought record; practised paced breathing.",
            ),
            (
                "response",
                "Client engaged well and identified two alternative thoughts.",
            ),
            ("plan", plan),
        ],
        _ => vec![
            ("subjective", report),
            ("objective", observed),
            ("assessment", assessment),
            ("plan", plan),
        ],
    };
    sections
        .into_iter()
        .chain([
            (
                "interventions",
                if luck % 2 == 0 {
                    "cbt,mindfulness"
                } else {
                    "cbt,psychoeducation"
                },
            ),
            ("risk_level", "none"),
        ])
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// PHQ-9 and GAD-7 every two weeks for the demo clinicians' clients: most improve, some hold steady.
pub(super) async fn demo_measures(tx: &mut sqlx::PgConnection) -> Result<(), crate::AnyError> {
    use app::documents::measures::Instrument;
    let clients: Vec<(uuid::Uuid, uuid::Uuid, i32)> = sqlx::query!(
        r#"SELECT c.id, c.primary_clinician_id AS "clinician!", (hashtext(c.id::text) & 2147483647) % 100 AS "bucket!"
           FROM clients c JOIN users u ON u.id = c.primary_clinician_id
          WHERE c.status = 'active' AND u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
            AND EXISTS (SELECT 1 FROM appointment_clients ac JOIN appointments a ON a.id = ac.appointment_id
                         WHERE ac.client_id = c.id AND a.status = 'completed')"#,
    )
    .map(|r| (r.id, r.clinician, r.bucket))
    .fetch_all(&mut *tx)
    .await?;
    let today: chrono::NaiveDate = sqlx::query_scalar!(
        r#"SELECT (now() AT TIME ZONE time_zone)::date AS "today!" FROM practice"#
    )
    .fetch_one(&mut *tx)
    .await?;
    for (client, clinician, luck) in clients {
        let improving = luck < 70;
        for (instrument, start) in [
            (Instrument::Phq9, 16 + luck % 6),
            (Instrument::Gad7, 13 + luck % 5),
        ] {
            for step in 0..4 {
                let total = if improving {
                    start - 3 * step
                } else {
                    start - step % 2
                };
                let items = instrument.items().len();
                // spread the total over the items (item 9 of the PHQ-9 stays at zero)
                let scored = if instrument == Instrument::Phq9 {
                    items - 1
                } else {
                    items
                };
                let answers: Vec<i16> = (0..items)
                    .map(|i| {
                        if i >= scored {
                            return 0;
                        }
                        let share =
                            total / scored as i32 + i32::from((i as i32) < total % scored as i32);
                        share.clamp(0, 3) as i16
                    })
                    .collect();
                let score = instrument.score(&answers)?;
                let on = today - chrono::Duration::days(i64::from(56 - 14 * step));
                sqlx::query!(
                    "INSERT INTO measure_results (client_id, instrument, answers, total, severity, administered_on, entered_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    client,
                    instrument.as_str(),
                    &answers,
                    score.total,
                    score.severity,
                    on,
                    clinician,
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    Ok(())
}
