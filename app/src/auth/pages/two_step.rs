//! Two-step sign-in pieces used by the sign-in page and My account: setting up an authenticator
//! (QR code, typed secret, first code, recovery codes) and the account's two-step section.

use crate::auth::api::{mfa_status, MfaBegin, MfaConfirm, MfaDisable};
use crate::auth::mfa::{parse_second_factor, MfaConfirmed, MfaSummary};
use crate::auth::types::SessionUser;
use crate::field_check;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, Field};
use leptos::prelude::*;

/// Sets up an authenticator: asks the server for a secret once the page is live, shows its QR code
/// and the secret as text, confirms the first code, then shows the recovery codes once.
/// `on_finished` runs when the person has seen the codes (with the new session, when enrolment
/// completed a sign-in).
#[component]
pub fn EnrolAuthenticator(
    #[prop(into)] on_finished: Callback<(Option<SessionUser>,)>,
) -> impl IntoView {
    let begin = ServerAction::<MfaBegin>::new();
    let confirm = ServerAction::<MfaConfirm>::new();
    // effects run only in the browser: the secret is made once per visit, not at render
    Effect::new(move || {
        if begin.version().get_untracked() == 0 && !begin.pending().get_untracked() {
            begin.dispatch(MfaBegin {});
        }
    });
    // a memo: a wrong code redraws only its message, not the form (which would lose focus)
    let confirmed = Memo::new(move |_| confirm.value().get().and_then(Result::ok));

    view! {
        <div class="enrol">
            {move || match (confirmed.get(), begin.value().get()) {
                (Some(done), _) => view! { <RecoveryCodes done on_finished/> }.into_any(),
                (None, None) => view! { <Loading label="Making a new secret…"/> }.into_any(),
                (None, Some(Err(error))) => view! {
                    <ErrorNotice error/>
                    <button type="button" class="btn" on:click=move |_| { begin.dispatch(MfaBegin {}); }>"Try again"</button>
                }.into_any(),
                (None, Some(Ok(enrolment))) => {
                    let result = confirm.value();
                    view! {
                        <ol class="enrol-steps">
                            <li>"Open an authenticator app on your phone (for example Google Authenticator, \
                                Microsoft Authenticator or 1Password) and add an account."</li>
                            <li>
                                "Scan this code with it:"
                                <figure class="qr-code">
                                    <div role="img" aria-label="QR code of the new authenticator account" inner_html=enrolment.qr_svg.clone()></div>
                                    <figcaption>"Cannot scan? Type this key instead: "
                                        <code class="secret-key" data-secret=enrolment.secret.replace(' ', "")>{enrolment.secret.clone()}</code>
                                    </figcaption>
                                </figure>
                            </li>
                            <li>"Enter the 6-digit code the app shows:"</li>
                        </ol>
                        <ActionForm action=confirm attr:novalidate="true">
                            <Field label="Code from the app" name="code" kind="text" autocomplete="one-time-code" required=true
                                validate=field_check!(parse_second_factor) errors=field_errors(result, "code")/>
                            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                            <button type="submit" class="btn btn-primary" disabled=move || confirm.pending().get()>
                                "Turn on two-step sign-in"
                            </button>
                        </ActionForm>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// The recovery codes, shown once, and the button that says they were kept.
#[component]
fn RecoveryCodes(
    done: MfaConfirmed,
    on_finished: Callback<(Option<SessionUser>,)>,
) -> impl IntoView {
    let signed_in = done.signed_in.clone();
    view! {
        <div class="notice notice-success" role="status">"Two-step sign-in is on."</div>
        <h3>"Your recovery codes"</h3>
        <p>"Each code signs you in once if you lose your phone. Keep them somewhere safe, such as a \
            password manager: they are shown only now."</p>
        <ol class="recovery-codes">
            {done.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ol>
        <button type="button" class="btn btn-primary" on:click=move |_| on_finished.run((signed_in.clone(),))>
            "I have saved these codes"
        </button>
    }
}

/// My account: whether two-step sign-in is on, setting it up, and turning it off.
#[component]
pub fn TwoStepSection() -> impl IntoView {
    let disable = ServerAction::<MfaDisable>::new();
    let enrolling = RwSignal::new(false);
    let refreshed = RwSignal::new(0u32);
    let status = Resource::new(
        move || (refreshed.get(), disable.version().get()),
        |_| mfa_status(),
    );
    let finished = Callback::new(move |_: (Option<SessionUser>,)| {
        enrolling.set(false);
        refreshed.update(|n| *n += 1);
    });
    view! {
        <section class="card" aria-labelledby="two-step-title">
            <h2 id="two-step-title">"Two-step sign-in"</h2>
            <p class="muted">"After your password, sign-in asks for a code from an app on your phone, so a \
                stolen password alone cannot open the record."</p>
            {move || if enrolling.get() {
                view! { <EnrolAuthenticator on_finished=finished/> }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading/> }>
                        {move || Suspend::new(async move {
                            status.await.map(|s| view! { <TwoStepState status=s disable enrolling/> })
                        })}
                    </Suspense>
                }.into_any()
            }}
        </section>
    }
}

/// What My account shows of an account's two-step sign-in when no set-up is under way.
#[component]
fn TwoStepState(
    status: MfaSummary,
    disable: ServerAction<MfaDisable>,
    enrolling: RwSignal<bool>,
) -> impl IntoView {
    let result = disable.value();
    let required = status.required;
    match status.enabled_at {
        Some(since) => view! {
            <p class="two-step-on"><span class="tag">"On"</span>
                {format!(" since {} · {} recovery codes left", since.format("%Y-%m-%d"), status.recovery_codes_left)}
            </p>
            {if required {
                view! { <p class="muted">"Your practice requires it for your role."</p> }.into_any()
            } else {
                view! {
                    <details class="two-step-off">
                        <summary>"Turn off two-step sign-in"</summary>
                        <ActionForm action=disable attr:novalidate="true">
                            <Field label="Password" name="password" kind="password" autocomplete="current-password"
                                required=true errors=field_errors(result, "password")/>
                            <Field label="Code from the app, or a recovery code" name="code" kind="text"
                                autocomplete="one-time-code" required=true errors=field_errors(result, "code")/>
                            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                            <button type="submit" class="btn btn-danger" disabled=move || disable.pending().get()>
                                "Turn off"
                            </button>
                        </ActionForm>
                    </details>
                }.into_any()
            }}
        }.into_any(),
        None => view! {
            <p><span class="tag tag-off">"Off"</span>
                {if required { " Your practice requires it for your role." } else { "" }}</p>
            <button type="button" class="btn btn-primary" on:click=move |_| enrolling.set(true)>
                "Set up two-step sign-in"
            </button>
        }.into_any(),
    }
}
