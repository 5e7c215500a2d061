//! Pages that load their code on first visit: with `cargo leptos build --release --split` each becomes
//! its own WASM chunk, so the first load (sign-in, home, client list) stays small. Without `--split`
//! (development) they are ordinary routes.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route whose page component is split into its own chunk. (The names must be unique across the
/// app: they name the chunks.)
macro_rules! lazy_page {
    ($($(#[$doc:meta])* $name:ident => $page:path;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_page! {
    LazyClientChart => crate::clients::pages::chart::ClientChartPage;
    LazyNewClient => crate::clients::pages::new::NewClientPage;
    LazyEditClient => crate::clients::pages::edit::EditClientPage;
    LazyStaffDirectory => crate::staff::pages::directory::StaffDirectoryPage;
    LazyStaffProfile => crate::staff::pages::profile::StaffProfilePage;
    LazyUsers => crate::auth::pages::users::UsersPage;
    LazyAuditLog => crate::audit::pages::audit_log::AuditLogPage;
    LazySettings => crate::settings::pages::settings::SettingsPage;
    LazyAccount => crate::auth::pages::account::AccountPage;
    LazyWeekCalendar => crate::scheduling::pages::week::WeekCalendarPage;
    LazyWaitlist => crate::scheduling::pages::waitlist::WaitlistPage;
    LazyNote => crate::documents::pages::note::NotePage;
    LazyBillingWork => crate::billing::pages::work::BillingWorkPage;
    LazyClaims => crate::billing::pages::claims::ClaimsPage;
    LazyClaim => crate::billing::pages::claim::ClaimPage;
    LazyBatches => crate::billing::pages::batches::BatchesPage;
    LazyFeeSchedule => crate::billing::pages::fees::FeeSchedulePage;
    LazyPayments => crate::billing::pages::payments::PaymentsPage;
    LazyEra => crate::billing::pages::era::EraPage;
    LazyLedger => crate::billing::pages::ledger::LedgerPage;
    LazyReceivables => crate::billing::pages::receivables::ReceivablesPage;
}
