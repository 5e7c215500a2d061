//! The audit trail's names for what happens in billing: every event of this module is recorded
//! under one of these.

pub const BATCH_CREATE: &str = "billing.batch_create";
pub const BATCH_DOWNLOAD: &str = "billing.batch_download";
pub const CHARGE_CREATE: &str = "billing.charge_create";
pub const CHARGES_VIEW: &str = "billing.charges_view";
pub const CLAIM_STATUS: &str = "billing.claim_status";
pub const CLAIM_VIEW: &str = "billing.claim_view";
pub const CLAIMS_BUILD: &str = "billing.claims_build";
pub const CLAIMS_LIST: &str = "billing.claims_list";
pub const FEES_CHANGE: &str = "billing.fees_change";
pub const CMS1500_DOWNLOAD: &str = "billing.paper_claim_download";
pub const SELF_PAY_SET: &str = "billing.self_pay_set";
pub const WORK_QUEUE_VIEW: &str = "billing.work_queue_view";
