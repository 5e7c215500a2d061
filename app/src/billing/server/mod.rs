//! The server side of billing: rules and audit in the services, SQL in the repo, X12 in `edi`.

pub mod batches;
pub mod charges;
pub mod claim_file;
pub mod claims;
pub mod cms1500;
pub mod edi;
pub mod fees;
pub mod repo;
