//! The audit trail's names for what happens in sign-in, sessions and staff accounts: every event of
//! this module is recorded under one of these (reports and the activity tab read them back).

pub const LOCKOUT: &str = "auth.lockout";
pub const LOGIN: &str = "auth.login";
pub const LOGIN_RATE_LIMITED: &str = "auth.login_rate_limited";
pub const LOGOUT: &str = "auth.logout";
pub const MFA_BEGIN: &str = "auth.mfa_begin";
pub const MFA_CHALLENGE: &str = "auth.mfa_challenge";
pub const MFA_DISABLE: &str = "auth.mfa_disable";
pub const MFA_ENROL: &str = "auth.mfa_enrol";
pub const MFA_POLICY_CHANGE: &str = "auth.mfa_policy_change";
pub const MFA_RESET: &str = "auth.mfa_reset";
pub const PASSWORD_CHANGE: &str = "auth.password_change";
pub const PASSWORD_RESET_CLI: &str = "auth.password_reset_cli";
pub const SIGN_OUT_EVERYWHERE: &str = "auth.sign_out_everywhere";
pub const STEP_UP: &str = "auth.step_up";
pub const USER_CREATE: &str = "auth.user_create";
pub const USER_DEACTIVATE: &str = "auth.user_deactivate";
pub const USER_REACTIVATE: &str = "auth.user_reactivate";
pub const USER_ROLE_CHANGE: &str = "auth.user_role_change";
