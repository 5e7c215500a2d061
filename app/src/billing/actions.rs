//! The audit trail's names for what happens in billing: every event of this module is recorded
//! under one of these.

pub const BATCH_CREATE: &str = "billing.batch_create";
pub const BATCH_DOWNLOAD: &str = "billing.batch_download";
pub const CHARGE_CREATE: &str = "billing.charge_create";
pub const CHARGES_VIEW: &str = "billing.charges_view";
pub const ACK_IMPORT: &str = "billing.ack_import";
pub const CLAIM_CORRECT: &str = "billing.claim_correct";
pub const CLAIM_STATUS: &str = "billing.claim_status";
pub const CLAIM_VIEW: &str = "billing.claim_view";
pub const CLAIMS_BUILD: &str = "billing.claims_build";
pub const CLAIMS_LIST: &str = "billing.claims_list";
pub const FEES_CHANGE: &str = "billing.fees_change";
pub const CMS1500_DOWNLOAD: &str = "billing.paper_claim_download";
pub const SELF_PAY_SET: &str = "billing.self_pay_set";
pub const WORK_QUEUE_VIEW: &str = "billing.work_queue_view";
pub const ERA_IMPORT: &str = "billing.era_import";
pub const ERA_VIEW: &str = "billing.era_view";
pub const ERA_RESOLVE: &str = "billing.era_resolve";
pub const OWN_SESSIONS_VIEW: &str = "billing.own_sessions_view";
pub const LEDGER_VIEW: &str = "billing.ledger_view";
pub const PAYMENT_TAKE: &str = "billing.payment_take";
pub const PAYMENT_ALLOCATE: &str = "billing.payment_allocate";
pub const REFUND: &str = "billing.refund";
pub const WRITE_OFF: &str = "billing.write_off";
pub const TRANSFER_TO_CLIENT: &str = "billing.transfer_to_client";
pub const RECEIPT_DOWNLOAD: &str = "billing.receipt_download";
pub const RECEIVABLES_VIEW: &str = "billing.receivables_view";
pub const STATEMENT_DOWNLOAD: &str = "billing.statement_download";
pub const SUPERBILL_DOWNLOAD: &str = "billing.superbill_download";
