//! MentalSpace EHR: every page, component, server function and domain type.
//! The `ssr` feature adds the server side (database, services); `hydrate` the browser side.

pub mod audit;
pub mod auth;
pub mod billing;
pub mod clients;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod documents;
pub mod error;
pub mod fields;
pub mod home;
pub mod ids;
pub mod money;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod routes;
pub mod scheduling;
pub mod settings;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod telemetry;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy,
};

/// The HTML document the server streams; the app hydrates inside `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // the stylesheet's name carries its content hash in release builds (cached for a year)
                <HashedStylesheet options=options.clone() id="leptos"/>
                // WASM loads and hydrates once the page has painted: the server-rendered page, and
                // the sign-in form's plain post, work before it arrives
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The visit is known before rendering starts (the session middleware resolved it), and is
    // serialised into the page for hydration: no loading state, no second request.
    let visit = SharedValue::new(ui::layout::visit_of_request);
    provide_context(ui::layout::Visit(visit.into_inner()));
    view! {
        <Title text="MentalSpace EHR"/>
        <Router>
            <Routes fallback=home::NotFoundPage>
                <Route path=path!("/login") view=auth::pages::login::LoginPage/>
                <ParentRoute path=path!("") view=ui::layout::AppLayout>
                    <Route path=path!("") view=home::HomePage/>
                    <Route path=path!("clients") view={Lazy::<routes::LazyClientList>::new()}/>
                    <Route path=path!("account") view={Lazy::<routes::LazyAccount>::new()}/>
                    <Route path=path!("confirm") view={Lazy::<routes::LazyConfirm>::new()}/>
                    <Route path=path!("clients/new") view={Lazy::<routes::LazyNewClient>::new()}/>
                    <Route path=path!("clients/emergency-access") view={Lazy::<routes::LazyEmergencyAccess>::new()}/>
                    <Route path=path!("clients/:id/access-report") view={Lazy::<routes::LazyAccessReport>::new()}/>
                    <Route path=path!("clients/:id") view={Lazy::<routes::LazyClientChart>::new()}/>
                    <Route path=path!("clients/:id/edit") view={Lazy::<routes::LazyEditClient>::new()}/>
                    <Route path=path!("calendar") view={Lazy::<routes::LazyWeekCalendar>::new()}/>
                    <Route path=path!("waitlist") view={Lazy::<routes::LazyWaitlist>::new()}/>
                    <Route path=path!("notes/:id") view={Lazy::<routes::LazyNote>::new()}/>
                    <Route path=path!("staff") view={Lazy::<routes::LazyStaffDirectory>::new()}/>
                    <Route path=path!("staff/:id") view={Lazy::<routes::LazyStaffProfile>::new()}/>
                    <Route path=path!("admin/users") view={Lazy::<routes::LazyUsers>::new()}/>
                    <Route path=path!("admin/audit") view={Lazy::<routes::LazyAuditLog>::new()}/>
                    <Route path=path!("admin/settings") view={Lazy::<routes::LazySettings>::new()}/>
                    <Route path=path!("admin/emergency-access") view={Lazy::<routes::LazyEmergencyReview>::new()}/>
                    <Route path=path!("billing") view={Lazy::<routes::LazyBillingWork>::new()}/>
                    <Route path=path!("billing/claims") view={Lazy::<routes::LazyClaims>::new()}/>
                    <Route path=path!("billing/claims/:id") view={Lazy::<routes::LazyClaim>::new()}/>
                    <Route path=path!("billing/batches") view={Lazy::<routes::LazyBatches>::new()}/>
                    <Route path=path!("billing/fees") view={Lazy::<routes::LazyFeeSchedule>::new()}/>
                    <Route path=path!("billing/payments") view={Lazy::<routes::LazyPayments>::new()}/>
                    <Route path=path!("billing/eras/:id") view={Lazy::<routes::LazyEra>::new()}/>
                    <Route path=path!("billing/clients/:id") view={Lazy::<routes::LazyLedger>::new()}/>
                    <Route path=path!("billing/receivables") view={Lazy::<routes::LazyReceivables>::new()}/>
                    <Route path=path!("billing/my-sessions") view={Lazy::<routes::LazyOwnSessions>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
