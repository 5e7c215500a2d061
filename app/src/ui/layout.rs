//! The frame every signed-in page sits in: header, navigation for the role, and the idle warning.

use crate::auth::api::{keep_alive, session_time_left};
use crate::auth::types::{Permission, SessionInfo};
use crate::error::AppError;
use crate::ui::feedback::{friendly_errors, ErrorNotice, Loading};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// The signed-in visit, loaded once per page load and shared by every page.
pub type SessionResource = Resource<Result<Option<SessionInfo>, AppError>>;

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
    NavItem { href: "/", label: "Home", needs: None },
    NavItem { href: "/admin/users", label: "Users", needs: Some(Permission::ManageUsers) },
    NavItem { href: "/admin/audit", label: "Audit log", needs: Some(Permission::ViewAudit) },
    NavItem { href: "/account", label: "My account", needs: None },
];

/// Route wrapper for every signed-in page.
#[component]
pub fn AppLayout() -> impl IntoView {
    let session = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=|| view! { <div class="page-loading"><Loading/></div> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(info)) => EitherOf3::A(view! { <Frame info/> }),
                    Ok(None) => {
                        go_to("/login");
                        EitherOf3::B(view! { <p class="page-loading">"Your session has ended. Opening the sign-in page…"</p> })
                    }
                    Err(error) => EitherOf3::C(view! { <main class="page"><ErrorNotice error/></main> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(info: SessionInfo) -> impl IntoView {
    let role = info.user.role;
    let sign_out = ServerAction::<crate::auth::api::Logout>::new();
    Effect::new(move || {
        if sign_out.value().get().is_some() {
            go_to("/login");
        }
    });
    let links = NAV
        .iter()
        .filter(|item| item.needs.is_none_or(|p| role.can(p)))
        .map(|item| view! { <li><A href=item.href exact=true>{item.label}</A></li> })
        .collect_view();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
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
        <div class="shell">
            <nav class="sidenav" aria-label="Main">
                <ul>{links}</ul>
            </nav>
            <main id="main" class="page" tabindex="-1">
                <ErrorBoundary fallback=friendly_errors>
                    <Outlet/>
                </ErrorBoundary>
            </main>
        </div>
        <IdleWarning idle_timeout_secs=info.idle_timeout_secs/>
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
    let apply = move |result: Option<Result<crate::auth::types::SessionStatus, AppError>>| match result {
        Some(Ok(status)) => remaining.set(status.idle_remaining_secs.min(status.absolute_remaining_secs)),
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
