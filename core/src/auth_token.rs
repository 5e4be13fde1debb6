//! Token authentication (in progress).
