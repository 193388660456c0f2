package dev.vask.realtime.config;

/** The roles one Vask process can run ({@code vask.roles}, default all three). */
public enum Role {
    /** WebSockets on /app/{key}. */
    REALTIME,
    /** The Pusher HTTP API (/apps/...) and the management API (/api/v1/...). */
    API,
    /** The web pages (/dashboard). */
    DASHBOARD
}
