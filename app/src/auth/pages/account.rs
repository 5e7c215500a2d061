use crate::auth::api::{my_sessions, ChangePassword, SignOutEverywhere};
use crate::auth::pages::two_step::TwoStepSection;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, Field};
use crate::ui::layout::go_to;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let first = move || use_query_map().with(|q| q.get("first").is_some());
    view! {
        <Title text="My account · MentalSpace EHR"/>
        <h1>"My account"</h1>
        <Show when=first>
            <div class="notice notice-info" role="status">
                "Welcome! Your administrator gave you a one-time password. Choose your own to continue."
            </div>
        </Show>
        <div class="grid-2">
            <ChangePasswordForm/>
            <MySessions/>
            <TwoStepSection/>
        </div>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let result = change.value();
    let done = move || matches!(result.get(), Some(Ok(())));
    Effect::new(move || {
        // once the initial password is replaced, the rest of the app opens up
        if done() && use_query_map().with_untracked(|q| q.get("first").is_some()) {
            go_to("/");
        }
    });
    view! {
        <section class="card" aria-labelledby="pw-title">
            <h2 id="pw-title">"Change password"</h2>
            <ActionForm action=change attr:novalidate="true">
                <Field label="Current password" name="current_password" kind="password"
                    autocomplete="current-password" required=true errors=field_errors(result, "current_password")/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" required=true
                    hint="At least 12 characters. A phrase of unrelated words is strong and easy to remember."
                    errors=field_errors(result, "new_password")/>
                <Field label="Repeat new password" name="confirm_password" kind="password" autocomplete="new-password"
                    required=true errors=field_errors(result, "confirm_password")/>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <Show when=done>
                    <div class="notice notice-success" role="status">"Password changed. Your other sessions were signed out."</div>
                </Show>
                <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MySessions() -> impl IntoView {
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let sessions = Resource::new(|| (), |_| my_sessions());
    Effect::new(move || {
        if let Some(Ok(_)) = everywhere.value().get() {
            go_to("/login");
        }
    });
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    sessions.await.map(|list| view! {
                        <ul class="session-list">
                            {list.into_iter().map(|s| view! {
                                <li>
                                    <span class="session-agent">{s.user_agent.clone().unwrap_or_else(|| "Unknown device".into())}</span>
                                    <span class="muted">
                                        {format!(" · {} · last active {}", s.ip.clone().unwrap_or_else(|| "unknown address".into()),
                                            s.last_seen_at.format("%Y-%m-%d %H:%M UTC"))}
                                    </span>
                                    {s.current.then(|| view! { <span class="tag">"This device"</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
            <button class="btn btn-danger" on:click=move |_| { everywhere.dispatch(SignOutEverywhere {}); }>
                "Sign out everywhere"
            </button>
        </section>
    }
}
