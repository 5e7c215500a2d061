//! The frame every signed-in page sits in: header, navigation for the role, and the idle warning.

use crate::auth::api::{keep_alive, session_time_left};
use crate::auth::types::{Permission, SessionInfo};
use crate::error::AppError;
use crate::ui::feedback::friendly_errors;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// The signed-in visit of this page load, if any; provided by `App`.
#[derive(Clone)]
pub struct Visit(pub Option<SessionInfo>);

/// On the server, the visit the session middleware found for this request.
pub fn visit_of_request() -> Option<SessionInfo> {
    #[cfg(feature = "ssr")]
    return crate::auth::server::current::visit_info();
    #[cfg(not(feature = "ssr"))]
    None
}

/// Leaves the app for the sign-in page with a full load, so no page of the old session stays in memory.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

struct NavItem {
    href: &'static str,
    label: &'static str,
    needs: Option<Permission>,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/",
        label: "Home",
        needs: None,
    },
    // every role reaches clients: all of them, or (clinical staff) their caseload
    NavItem {
        href: "/clients",
        label: "Clients",
        needs: None,
    },
    NavItem {
        href: "/calendar",
        label: "Calendar",
        needs: None,
    },
    NavItem {
        href: "/waitlist",
        label: "Waitlist",
        needs: Some(Permission::ManageSchedule),
    },
    NavItem {
        href: "/billing",
        label: "Billing",
        needs: Some(Permission::ManageBilling),
    },
    // clinical staff: where their own sessions stand in billing (no amounts)
    NavItem {
        href: "/billing/my-sessions",
        label: "My billing",
        needs: Some(Permission::OwnCalendar),
    },
    NavItem {
        href: "/staff",
        label: "Staff",
        needs: None,
    },
    NavItem {
        href: "/admin/users",
        label: "Users",
        needs: Some(Permission::ManageUsers),
    },
    NavItem {
        href: "/admin/settings",
        label: "Settings",
        needs: Some(Permission::ManageSettings),
    },
    NavItem {
        href: "/admin/audit",
        label: "Audit log",
        needs: Some(Permission::ViewAudit),
    },
    NavItem {
        href: "/account",
        label: "My account",
        needs: None,
    },
];

/// Route wrapper for every signed-in page.
#[component]
pub fn AppLayout() -> impl IntoView {
    match expect_context::<Visit>().0 {
        // type-erased: the frame's full view type is too deep for release builds
        Some(info) => Either::Left(view! { <Frame info/> }.into_any()),
        None => {
            go_to("/login");
            Either::Right(
                view! { <p class="page-loading">"Your session has ended. Opening the sign-in page…"</p> },
            )
        }
    }
}

#[component]
fn Frame(info: SessionInfo) -> impl IntoView {
    let role = info.user.role;
    // pages below read the visit from context instead of awaiting the resource again
    provide_context(info.clone());
    let sign_out = ServerAction::<crate::auth::api::Logout>::new();
    Effect::new(move || {
        if sign_out.value().get().is_some() {
            go_to("/login");
        }
    });
    let links = NAV
        .iter()
        .filter(|item| item.needs.is_none_or(|p| role.can(p)))
        .map(|item| view! { <li><A href=item.href exact=item.href == "/">{item.label}</A></li> })
        .collect_view();
    let top_bar = view! {
        <header class="topbar">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"◐"</span>
                <span class="practice-name">{info.practice_name.clone()}</span>
            </div>
            <div class="who">
                <span class="who-name">{info.user.display_name.clone()}</span>
                <span class="role-badge" data-testid="role">{role.label()}</span>
                <button class="btn btn-quiet" on:click=move |_| { sign_out.dispatch(crate::auth::api::Logout {}); }>
                    "Sign out"
                </button>
            </div>
        </header>
    }
    .into_any();
    view! {
        <div class="app">
        <a class="skip-link" href="#main">"Skip to content"</a>
        {top_bar}
        <div class="shell">
            <nav class="sidenav" aria-label="Main">
                <ul>{links}</ul>
            </nav>
            {view! {
                <main id="main" class="page" tabindex="-1">
                    <ErrorBoundary fallback=friendly_errors>
                        <Outlet/>
                    </ErrorBoundary>
                </main>
            }.into_any()}
        </div>
        <IdleWarning idle_timeout_secs=info.idle_timeout_secs/>
        </div>
    }
}

/// Warns a minute before the server's idle timeout and returns to sign-in when it passes.
#[component]
fn IdleWarning(idle_timeout_secs: i64) -> impl IntoView {
    let remaining = RwSignal::new(idle_timeout_secs);
    let check = Action::new(|_: &()| session_time_left());
    let stay = Action::new(|_: &()| keep_alive());

    // Ask the server how long is left now and then; count down locally in between.
    Effect::new(move || {
        let poll_every = 15;
        let ticks = RwSignal::new(0);
        let handle = set_interval_with_handle(
            move || {
                remaining.update(|r| *r -= 1);
                ticks.update(|t| *t += 1);
                if ticks.get_untracked() % poll_every == 0 || remaining.get_untracked() <= 0 {
                    check.dispatch(());
                }
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    let apply =
        move |result: Option<Result<crate::auth::types::SessionStatus, AppError>>| match result {
            Some(Ok(status)) => remaining.set(
                status
                    .idle_remaining_secs
                    .min(status.absolute_remaining_secs),
            ),
            Some(Err(AppError::Unauthenticated)) => go_to("/login?expired=1"),
            _ => {}
        };
    Effect::new(move || apply(check.value().get()));
    Effect::new(move || apply(stay.value().get()));

    view! {
        <Show when=move || { remaining.get() <= 60 }>
            <div class="idle-warning" role="alertdialog" aria-modal="false" aria-labelledby="idle-title">
                <p id="idle-title"><strong>"Still there?"</strong></p>
                <p>"For privacy you will be signed out in " {move || remaining.get().max(0)} " seconds."</p>
                <button class="btn btn-primary" on:click=move |_| { stay.dispatch(()); }>"Stay signed in"</button>
            </div>
        </Show>
    }
}
