//! MentalSpace EHR: every page, component, server function and domain type.
//! The `ssr` feature adds the server side (database, services); `hydrate` the browser side.

pub mod audit;
pub mod auth;
pub mod clients;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod config;
pub mod error;
pub mod home;
pub mod ids;
pub mod money;
pub mod settings;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The HTML document the server streams; the app hydrates inside `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
    // Marks the page as interactive (browser tests wait for it).
    Effect::new(|| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/mentalspace.css"/>
        <Title text="MentalSpace EHR"/>
        <Router>
            <Routes fallback=home::NotFoundPage>
                <Route path=path!("/login") view=auth::pages::login::LoginPage/>
                <ParentRoute path=path!("") view=ui::layout::AppLayout>
                    <Route path=path!("") view=home::HomePage/>
                    <Route path=path!("account") view=auth::pages::account::AccountPage/>
                    <Route path=path!("clients") view=clients::pages::list::ClientListPage/>
                    <Route path=path!("clients/new") view=clients::pages::new::NewClientPage/>
                    <Route path=path!("clients/:id") view=clients::pages::chart::ClientChartPage/>
                    <Route path=path!("clients/:id/edit") view=clients::pages::edit::EditClientPage/>
                    <Route path=path!("admin/users") view=auth::pages::users::UsersPage/>
                    <Route path=path!("admin/audit") view=audit::pages::audit_log::AuditLogPage/>
                    <Route path=path!("staff") view=staff::pages::directory::StaffDirectoryPage/>
                    <Route path=path!("staff/:id") view=staff::pages::profile::StaffProfilePage/>
                    <Route path=path!("admin/settings") view=settings::pages::settings::SettingsPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
