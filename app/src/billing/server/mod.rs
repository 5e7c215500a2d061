//! The server side of billing: rules and audit in the services, SQL in the repos, X12 in `edi`,
//! what a remittance posts in `posting`.

pub mod batches;
pub mod charges;
pub mod claim_file;
pub mod claims;
pub mod cms1500;
pub mod edi;
pub mod fees;
pub mod ledger;
pub mod ledger_repo;
pub mod posting;
pub mod receivables;
pub mod receivables_repo;
pub mod remits;
pub mod repo;
pub mod statements;
pub mod statements_repo;
