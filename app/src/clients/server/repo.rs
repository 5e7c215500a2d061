//! SQL for client records. Every list query carries the caller's scope as a predicate, so the
//! database never returns a client the user may not see.

use crate::clients::types::*;
use crate::error::AppError;
use crate::ids::{ClientId, ContactId, DiagnosisId, FlagId, UserId};
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

/// Appends "the client `c` is in this scope" to a query.
fn push_scope(q: &mut QueryBuilder<'_, Postgres>, scope: Scope) {
    let Scope::Caseload { user, supervisor } = scope else {
        return;
    };
    q.push(" AND (c.primary_clinician_id = ")
        .push_bind(user)
        .push(" OR EXISTS (SELECT 1 FROM client_care_team t WHERE t.client_id = c.id AND t.removed_at IS NULL AND t.user_id = ")
        .push_bind(user)
        .push(")");
    if supervisor {
        q.push(" OR c.primary_clinician_id IN (SELECT user_id FROM staff_profiles WHERE supervisor_id = ")
            .push_bind(user)
            .push(") OR EXISTS (SELECT 1 FROM client_care_team t JOIN staff_profiles sp ON sp.user_id = t.user_id AND t.removed_at IS NULL
                 WHERE t.client_id = c.id AND sp.supervisor_id = ")
            .push_bind(user)
            .push(")");
    }
    q.push(")");
}

pub async fn in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: ClientId,
) -> Result<bool, AppError> {
    any_in_scope(conn, scope, &[id]).await
}

/// Whether any of `ids` is within the caller's scope (one query, however many clients).
pub async fn any_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    ids: &[ClientId],
) -> Result<bool, AppError> {
    // runtime SQL: the scope predicate's shape depends on the caller's role
    let mut q = QueryBuilder::new("SELECT EXISTS (SELECT 1 FROM clients c WHERE c.id = ANY(");
    q.push_bind(ids.to_vec());
    q.push(")");
    push_scope(&mut q, scope);
    q.push(")");
    Ok(q.build_query_scalar().fetch_one(conn).await?)
}

/// The list's columns, with the client's active alerts of the categories the caller may read.
fn summary_query(alert_categories: &[&str]) -> QueryBuilder<'static, Postgres> {
    // runtime SQL: the scope, the filters, the kind of search term and the order all vary
    let mut q = QueryBuilder::new(
        "SELECT c.id, c.chart_number, c.legal_first_name, c.legal_last_name, c.preferred_name,
                c.date_of_birth, c.status, c.phone_mobile, u.display_name AS primary_clinician_name,
                a.alert_level, a.alert_count
           FROM clients c LEFT JOIN users u ON u.id = c.primary_clinician_id
           LEFT JOIN LATERAL (
                SELECT max(array_position(ARRAY['info', 'warning', 'critical'], f.severity)) AS alert_level,
                       count(*) AS alert_count
                  FROM client_flags f
                 WHERE f.client_id = c.id AND f.active AND f.category = ANY(",
    );
    q.push_bind(
        alert_categories
            .iter()
            .map(|c| (*c).to_owned())
            .collect::<Vec<_>>(),
    )
    .push(")) a ON true WHERE c.merged_into_id IS NULL");
    q
}

pub async fn search(
    pool: &PgPool,
    scope: Scope,
    term: &SearchTerm,
    query: &ClientQuery,
    page_size: i64,
    alert_categories: &[&str],
) -> Result<Vec<ClientSummary>, AppError> {
    let mut q = summary_query(alert_categories);
    push_scope(&mut q, scope);
    if let Some(status) = query.status {
        q.push(" AND c.status = ").push_bind(status);
    }
    if let Some(clinician) = query.clinician_id {
        q.push(" AND c.primary_clinician_id = ")
            .push_bind(clinician);
    }
    let by_name = match query.sort {
        ClientSort::Name => " ORDER BY c.legal_last_name, c.legal_first_name, c.id",
        // chart numbers are 'C' + a sequence: order by the number, not the text
        ClientSort::ChartNumber => " ORDER BY length(c.chart_number), c.chart_number",
        ClientSort::Newest => " ORDER BY c.created_at DESC, c.id",
    };
    match term {
        SearchTerm::Everyone => {
            q.push(by_name);
        }
        SearchTerm::ChartNumber(n) => {
            q.push(" AND c.chart_number = ")
                .push_bind(n.clone())
                .push(by_name);
        }
        SearchTerm::DateOfBirth(d) => {
            q.push(" AND c.date_of_birth = ")
                .push_bind(*d)
                .push(by_name);
        }
        SearchTerm::Email(e) => {
            q.push(" AND c.email = ")
                .push_bind(e.clone())
                .push("::citext")
                .push(by_name);
        }
        SearchTerm::Phone(p) => {
            q.push(" AND (c.phone_mobile = ")
                .push_bind(p.clone())
                .push(" OR c.phone_home = ")
                .push_bind(p.clone())
                .push(" OR c.phone_work = ")
                .push_bind(p.clone())
                .push(")")
                .push(by_name);
        }
        SearchTerm::Name(name) => {
            // word similarity tolerates typos and partial words ("smtih", "ann car"); the trigram
            // index answers the <% operator
            q.push(" AND ")
                .push_bind(name.clone())
                .push(" <% c.search_name ORDER BY word_similarity(")
                .push_bind(name.clone())
                .push(", c.search_name) DESC, c.legal_last_name, c.legal_first_name, c.id");
        }
    }
    // one row more than a page tells whether there is a next page
    q.push(" LIMIT ")
        .push_bind(page_size + 1)
        .push(" OFFSET ")
        .push_bind(i64::from(query.page) * page_size);
    let mut tx = pool.begin().await?;
    // the default (0.6) misses transposed letters ("smtih"); ranking puts the close matches first
    sqlx::query!("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
        .execute(&mut *tx)
        .await?;
    let rows = q.build_query_as().fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn get(conn: &mut PgConnection, id: ClientId) -> Result<ClientRecord, AppError> {
    Ok(sqlx::query_as!(
        ClientRecord,
        r#"SELECT c.id, c.chart_number, c.legal_first_name, c.legal_last_name, c.preferred_name AS "preferred_name?", c.pronouns AS "pronouns?",
                c.date_of_birth, c.sex_assigned_at_birth AS "sex_assigned_at_birth?", c.gender_identity AS "gender_identity?", c.phone_mobile AS "phone_mobile?", c.phone_home AS "phone_home?",
                c.phone_work AS "phone_work?", c.sms_consent, c.voicemail_consent, c.email::text AS "email?", c.email_consent,
                c.address_line1 AS "address_line1?", c.address_line2 AS "address_line2?", c.city AS "city?", c.state::text AS "state?", c.zip AS "zip?", c.preferred_contact,
                c.preferred_language, c.status AS "status: ClientStatus", c.primary_clinician_id AS "primary_clinician_id?: UserId", u.display_name AS "primary_clinician_name?",
                c.referral_source AS "referral_source?", c.created_at
           FROM clients c LEFT JOIN users u ON u.id = c.primary_clinician_id
          WHERE c.id = $1"#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// A checked statement over the record's editable columns (everything but the status), bound as
/// `$1`–`$23` in this order; `$sql` names them the same way. A macro: query macros take only literals.
macro_rules! with_record {
    ($sql:tt, $c:expr $(, $arg:expr)* $(,)?) => {
        sqlx::query_scalar!(
            $sql,
            &$c.legal_first_name,
            &$c.legal_last_name,
            $c.preferred_name.as_deref(),
            $c.pronouns.as_deref(),
            $c.date_of_birth,
            $c.sex_assigned_at_birth.as_deref(),
            $c.gender_identity.as_deref(),
            $c.phone_mobile.as_deref(),
            $c.phone_home.as_deref(),
            $c.phone_work.as_deref(),
            $c.sms_consent,
            $c.voicemail_consent,
            $c.email.as_deref() as _,
            $c.email_consent,
            $c.address_line1.as_deref(),
            $c.address_line2.as_deref(),
            $c.city.as_deref(),
            $c.state.as_deref(),
            $c.zip.as_deref(),
            &$c.preferred_contact,
            &$c.preferred_language,
            $c.primary_clinician_id as _,
            $c.referral_source.as_deref()
            $(, $arg)*
        )
    };
}
pub(super) use with_record;

pub async fn insert(conn: &mut PgConnection, c: &NewClient) -> Result<ClientId, AppError> {
    Ok(with_record!(
        "INSERT INTO clients (legal_first_name, legal_last_name, preferred_name, pronouns, date_of_birth,
                sex_assigned_at_birth, gender_identity, phone_mobile, phone_home, phone_work, sms_consent,
                voicemail_consent, email, email_consent, address_line1, address_line2, city, state, zip,
                preferred_contact, preferred_language, primary_clinician_id, referral_source, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23, $24)
         RETURNING id",
        c,
        c.status as _,
    )
    .fetch_one(conn)
    .await?
    .into())
}

/// Sets the status and returns the previous one.
pub async fn set_status(
    conn: &mut PgConnection,
    id: ClientId,
    status: ClientStatus,
) -> Result<ClientStatus, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE clients n SET status = $2, updated_at = now() FROM clients o
          WHERE n.id = $1 AND o.id = n.id RETURNING o.status AS "status: ClientStatus""#,
        id as _,
        status as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert_status_change(
    conn: &mut PgConnection,
    id: ClientId,
    from: Option<ClientStatus>,
    to: ClientStatus,
    reason: Option<&str>,
    by: Option<UserId>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO client_status_history (client_id, from_status, to_status, reason, changed_by)
         VALUES ($1, $2, $3, $4, $5)",
        id as _,
        from as _,
        to as _,
        reason,
        by as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn status_history(
    conn: &mut PgConnection,
    id: ClientId,
) -> Result<Vec<StatusChange>, AppError> {
    Ok(sqlx::query_as!(
        StatusChange,
        // the day at the practice (`changed_on`) is the service's to write
        r#"SELECT h.from_status AS "from_status: ClientStatus", h.to_status AS "to_status: ClientStatus", h.reason,
              u.display_name AS "changed_by_name?", h.changed_at, '' AS "changed_on!"
         FROM client_status_history h LEFT JOIN users u ON u.id = h.changed_by
        WHERE h.client_id = $1 ORDER BY h.changed_at DESC, h.id DESC"#,
        id as _,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn is_active_clinician(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND active
                           AND role IN ('clinician', 'intern', 'supervisor')) AS "exists!""#,
        user as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn clinician_options(pool: &PgPool) -> Result<Vec<ClinicianOption>, AppError> {
    Ok(sqlx::query_as!(
        ClinicianOption,
        "SELECT id, display_name FROM users WHERE active AND role IN ('clinician', 'intern', 'supervisor')
          ORDER BY display_name"
    )
    .fetch_all(pool)
    .await?)
}

// ---- diagnoses ----

pub async fn diagnoses(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<Diagnosis>, AppError> {
    Ok(sqlx::query_as!(
        Diagnosis,
        r#"SELECT d.id, d.code, i.description AS "description?", d.kind, d.onset_on AS "onset_on?", d.resolved_on AS "resolved_on?",
                u.display_name AS "recorded_by_name?", d.recorded_at
           FROM client_diagnoses d
           JOIN icd10_codes i ON i.code = d.code
           LEFT JOIN users u ON u.id = d.recorded_by
          WHERE d.client_id = $1
          ORDER BY d.resolved_on IS NOT NULL, array_position(ARRAY['primary', 'secondary', 'rule_out'], d.kind), d.recorded_at"#,
        client as _,
    )
    .fetch_all(conn)
    .await?)
}

/// `Some(billable)` for a known code, `None` for an unknown one.
pub async fn icd10_billable(conn: &mut PgConnection, code: &str) -> Result<Option<bool>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT billable FROM icd10_codes WHERE code = $1", code,)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn insert_diagnosis(
    conn: &mut PgConnection,
    client: ClientId,
    code: &str,
    kind: &str,
    onset: Option<chrono::NaiveDate>,
    by: UserId,
) -> Result<crate::ids::DiagnosisId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO client_diagnoses (client_id, code, kind, onset_on, recorded_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id AS "id: DiagnosisId""#,
        client as _,
        code,
        kind,
        onset,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn diagnosis_client(
    conn: &mut PgConnection,
    id: crate::ids::DiagnosisId,
) -> Result<ClientId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT client_id AS "client_id: ClientId" FROM client_diagnoses WHERE id = $1"#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Resolves a current diagnosis; false when it was already resolved or the date precedes the onset.
pub async fn resolve_diagnosis(
    conn: &mut PgConnection,
    id: crate::ids::DiagnosisId,
    on: chrono::NaiveDate,
) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "UPDATE client_diagnoses SET resolved_on = $2
          WHERE id = $1 AND resolved_on IS NULL AND (onset_on IS NULL OR onset_on <= $2)",
        id as _,
        on,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Billable codes whose code starts with `q`, or whose description has, for every word of `q`, a word
/// starting with it — allowing one typo in a word of 4–5 letters and two in a longer one.
pub async fn search_icd10(pool: &PgPool, q: &str) -> Result<Vec<Icd10Code>, AppError> {
    Ok(sqlx::query_as!(
        Icd10Code,
        "SELECT code, description FROM icd10_codes i
          WHERE billable AND (
                lower(code) LIKE $1 || '%'
             OR NOT EXISTS (
                  SELECT 1 FROM unnest(string_to_array($1, ' ')) q
                   WHERE q <> '' AND NOT EXISTS (
                         SELECT 1 FROM unnest(regexp_split_to_array(i.search, '[^a-z0-9.]+')) w
                          WHERE w LIKE q || '%'
                             OR (length(q) >= 4
                                 AND levenshtein(left(w, length(q)), q) <= CASE WHEN length(q) >= 6 THEN 2 ELSE 1 END))))
          ORDER BY lower(code) LIKE $1 || '%' DESC, similarity($1, search) DESC, code
          LIMIT 12",
        q,
    )
    .fetch_all(pool)
    .await?)
}

// ---- contacts ----

pub async fn contacts(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<ClientContact>, AppError> {
    Ok(sqlx::query_as!(
        ClientContact,
        r#"SELECT id, kind, name, relationship, phone AS "phone?", email::text AS "email?", may_receive_info
           FROM client_contacts WHERE client_id = $1 AND active
          ORDER BY array_position(ARRAY['emergency', 'guardian', 'responsible_party'], kind), created_at"#,
        client as _,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert_contact(
    conn: &mut PgConnection,
    client: ClientId,
    c: &NewContact,
    by: UserId,
) -> Result<ContactId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO client_contacts (client_id, kind, name, relationship, phone, email, may_receive_info, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id: ContactId""#,
        client as _,
        &c.kind,
        &c.name,
        &c.relationship,
        &c.phone as _,
        &c.email as _,
        c.may_receive_info,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

// ---- flags ----

pub async fn flags(
    conn: &mut PgConnection,
    client: ClientId,
    categories: &[&str],
) -> Result<Vec<ClientFlag>, AppError> {
    Ok(sqlx::query_as!(
        ClientFlag,
        "SELECT id, category, severity, text, created_at FROM client_flags
          WHERE client_id = $1 AND active AND category = ANY($2)
          ORDER BY array_position(ARRAY['critical', 'warning', 'info'], severity), created_at",
        client as _,
        categories as _,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert_flag(
    conn: &mut PgConnection,
    client: ClientId,
    category: &str,
    severity: &str,
    text: &str,
    by: UserId,
) -> Result<FlagId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO client_flags (client_id, category, severity, text, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING id AS "id: FlagId""#,
        client as _,
        category,
        severity,
        text,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

/// The client and category of an active flag.
pub async fn active_flag(
    conn: &mut PgConnection,
    id: FlagId,
) -> Result<(ClientId, String), AppError> {
    Ok(sqlx::query!(
        "SELECT client_id, category FROM client_flags WHERE id = $1 AND active",
        id as _,
    )
    .map(|r| (ClientId(r.client_id), r.category))
    .fetch_one(conn)
    .await?)
}

pub async fn clear_flag(conn: &mut PgConnection, id: FlagId, by: UserId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE client_flags SET active = false, cleared_at = now(), cleared_by = $2
          WHERE id = $1 AND active RETURNING id",
        id as _,
        by as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// Takes a contact off the chart (the row stays) and returns whose it was.
pub async fn remove_contact(
    conn: &mut PgConnection,
    id: ContactId,
    by: UserId,
) -> Result<ClientId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE client_contacts SET active = false, removed_at = now(), removed_by = $2
          WHERE id = $1 AND active RETURNING client_id AS "client_id: ClientId""#,
        id as _,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Which clients a user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Clients whose primary clinician or care team includes the user — and, for a supervisor,
    /// one of the user's supervisees.
    Caseload {
        user: UserId,
        supervisor: bool,
    },
}

/// A validated new client.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub date_of_birth: NaiveDate,
    pub sex_assigned_at_birth: Option<String>,
    pub gender_identity: Option<String>,
    pub phone_mobile: Option<String>,
    pub phone_home: Option<String>,
    pub phone_work: Option<String>,
    pub sms_consent: bool,
    pub voicemail_consent: bool,
    pub email: Option<String>,
    pub email_consent: bool,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub preferred_contact: String,
    pub preferred_language: String,
    pub status: ClientStatus,
    pub primary_clinician_id: Option<UserId>,
    pub referral_source: Option<String>,
}

/// What a search box's text means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    Everyone,
    ChartNumber(String),
    DateOfBirth(NaiveDate),
    Phone(String),
    Email(String),
    Name(String),
}

/// A validated contact.
pub struct NewContact {
    pub kind: String,
    pub name: String,
    pub relationship: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub may_receive_info: bool,
}
