//! The audit trail's names for what happens in clinical notes, measures, alerts and psychotherapy
//! notes: every event of this module is recorded under one of these (reports and the activity tab
//! read them back).

pub const ADDENDUM_ADD: &str = "documents.addendum_add";
pub const ALERT_ACKNOWLEDGE: &str = "documents.alert_acknowledge";
pub const ALERTS_VIEW: &str = "documents.alerts_view";
pub const COSIGN_QUEUE_VIEW: &str = "documents.cosign_queue_view";
pub const MEASURE_RECORD: &str = "documents.measure_record";
pub const MEASURES_VIEW: &str = "documents.measures_view";
pub const NOTE_COSIGN: &str = "documents.note_cosign";
pub const NOTE_CREATE: &str = "documents.note_create";
pub const NOTE_DISCARD: &str = "documents.note_discard";
pub const NOTE_HISTORY_VIEW: &str = "documents.note_history_view";
pub const NOTE_RELEASE: &str = "documents.note_release";
pub const NOTE_RETURN: &str = "documents.note_return";
pub const NOTE_SAVE: &str = "documents.note_save";
pub const NOTE_SIGN: &str = "documents.note_sign";
pub const NOTE_VIEW: &str = "documents.note_view";
pub const NOTES_LIST: &str = "documents.notes_list";
pub const PROCESS_NOTE_WRITE: &str = "documents.process_note_write";
pub const PROCESS_NOTES_VIEW: &str = "documents.process_notes_view";
pub const SIGNATURE_REFUSED: &str = "documents.signature_refused";
pub const UNDOCUMENTED_VIEW: &str = "documents.undocumented_view";
