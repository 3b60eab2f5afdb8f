//! R-PRT-8: PRTs of devices that are not Windows (macOS and iOS through the
//! Enterprise SSO plug-in, Android through the broker). The PRT page gives
//! every PRT 90 days renewed while the device is used; older Learn pages
//! give 14. `settings.prt_idle_non_windows` takes the shorter reading for
//! these devices without changing Windows'.

use super::Sim;
use crate::domain::Platform;
use crate::engine::state::{Access, Seat};
use crate::time::Seconds;

impl Sim<'_> {
    /// R-PRT-7, R-PRT-8: how long the PRT at `seat` may go unused.
    pub(super) fn prt_window(&self, seat: Seat) -> Seconds {
        match self.sc.settings.prt_idle_non_windows {
            Some(window) if self.devices[seat.device].platform != Platform::Windows => window,
            _ => self.sc.settings.default_session_window,
        }
    }

    /// R-PRT-8: an idle session whose window is the non-Windows PRT's.
    pub(super) fn prt_lapsed_off_windows(&self, access: Access, window: Seconds) -> bool {
        self.sc.settings.prt_idle_non_windows == Some(window)
            && self.devices[access.device].platform != Platform::Windows
            && self.world.prt(access.seat()).is_some_and(|p| !p.revoked)
    }
}
