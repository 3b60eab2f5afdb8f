//! Kinds of guests and external users.

/// Kinds of guests and external users (Graph `guestOrExternalUserTypes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GuestKind {
    InternalGuest,
    B2bCollaborationGuest,
    B2bCollaborationMember,
    B2bDirectConnectUser,
    OtherExternalUser,
    ServiceProvider,
}

impl GuestKind {
    pub const ALL: [GuestKind; 6] = [
        GuestKind::InternalGuest,
        GuestKind::B2bCollaborationGuest,
        GuestKind::B2bCollaborationMember,
        GuestKind::B2bDirectConnectUser,
        GuestKind::OtherExternalUser,
        GuestKind::ServiceProvider,
    ];
    pub const GRAPH_NAMES: [&'static str; 6] = [
        "internalGuest",
        "b2bCollaborationGuest",
        "b2bCollaborationMember",
        "b2bDirectConnectUser",
        "otherExternalUser",
        "serviceProvider",
    ];
    pub const NAMES: [&'static str; 6] = [
        "internal_guest",
        "b2b_collaboration_guest",
        "b2b_collaboration_member",
        "b2b_direct_connect_user",
        "other_external_user",
        "service_provider",
    ];

    pub fn graph_name(self) -> &'static str {
        Self::GRAPH_NAMES[self as usize]
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// From Graph's camelCase or casim's snake_case name.
    pub fn parse(text: &str) -> Option<GuestKind> {
        let t = text.trim();
        Self::ALL.into_iter().find(|k| k.graph_name().eq_ignore_ascii_case(t) || k.name() == t)
    }
}
