//! Pages that load their code on first visit. With `cargo leptos build --release --split` each group
//! of pages below becomes one WASM module, fetched when the first page of the group is opened, so
//! the first load (sign-in and home) stays small. A group per module rather than a module per page:
//! code that several pages share would otherwise go out as one small chunk per combination of pages
//! (a hundred requests for the calendar). Without `--split` (development) they are ordinary routes.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A group of pages whose code is one lazily loaded module. `$loader` is the split point (it renders
/// the page it is asked for); each page's route is a `LazyRoute` that asks it. `$preload` must be
/// `__preload_` + `$loader` (the name `#[lazy]` gives the loader's preloading twin).
macro_rules! lazy_pages {
    ($(#[$doc:meta])* $loader:ident, $preload:ident: $group:ident {
        $($route:ident => $page:path,)*
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub enum $group {
            $($route,)*
        }

        #[leptos::lazy]
        fn $loader(page: $group) -> AnyView {
            match page {
                $($group::$route => $page().into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $loader($group::$route).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_pages! {
    /// Client list, chart, registration and details.
    clients_pages, __preload_clients_pages: ClientsPages {
        LazyClientList => crate::clients::pages::list::ClientListPage,
        LazyClientChart => crate::clients::pages::chart::ClientChartPage,
        LazyNewClient => crate::clients::pages::new::NewClientPage,
        LazyEditClient => crate::clients::pages::edit::EditClientPage,
        LazyEmergencyAccess => crate::clients::pages::emergency::EmergencyAccessPage,
    }
}

lazy_pages! {
    /// The calendar and the waitlist.
    scheduling_pages, __preload_scheduling_pages: SchedulingPages {
        LazyWeekCalendar => crate::scheduling::pages::week::WeekCalendarPage,
        LazyWaitlist => crate::scheduling::pages::waitlist::WaitlistPage,
    }
}

lazy_pages! {
    /// A clinical note.
    documents_pages, __preload_documents_pages: DocumentsPages {
        LazyNote => crate::documents::pages::note::NotePage,
    }
}

lazy_pages! {
    /// The staff directory and profiles.
    staff_pages, __preload_staff_pages: StaffPages {
        LazyStaffDirectory => crate::staff::pages::directory::StaffDirectoryPage,
        LazyStaffProfile => crate::staff::pages::profile::StaffProfilePage,
    }
}

lazy_pages! {
    /// The administrator's pages.
    admin_pages, __preload_admin_pages: AdminPages {
        LazyUsers => crate::auth::pages::users::UsersPage,
        LazyAuditLog => crate::audit::pages::audit_log::AuditLogPage,
        LazySettings => crate::settings::pages::settings::SettingsPage,
        LazyEmergencyReview => crate::clients::pages::emergency_review::EmergencyReviewPage,
        LazyAccessReport => crate::audit::pages::access_report::AccessReportPage,
    }
}

lazy_pages! {
    /// My account (every role).
    account_pages, __preload_account_pages: AccountPages {
        LazyAccount => crate::auth::pages::account::AccountPage,
        LazyConfirm => crate::auth::pages::confirm::ConfirmPage,
    }
}

lazy_pages! {
    /// Billing: the work lists, claims, batches, fees, payments and receivables.
    billing_pages, __preload_billing_pages: BillingPages {
        LazyBillingWork => crate::billing::pages::work::BillingWorkPage,
        LazyClaims => crate::billing::pages::claims::ClaimsPage,
        LazyClaim => crate::billing::pages::claim::ClaimPage,
        LazyBatches => crate::billing::pages::batches::BatchesPage,
        LazyFeeSchedule => crate::billing::pages::fees::FeeSchedulePage,
        LazyPayments => crate::billing::pages::payments::PaymentsPage,
        LazyEra => crate::billing::pages::era::EraPage,
        LazyLedger => crate::billing::pages::ledger::LedgerPage,
        LazyReceivables => crate::billing::pages::receivables::ReceivablesPage,
        LazyOwnSessions => crate::billing::pages::own::OwnSessionsPage,
    }
}
