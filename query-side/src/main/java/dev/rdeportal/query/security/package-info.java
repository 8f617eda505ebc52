/**
 * The Security Center's read side: who is connected to which workspace, how, and from where
 * (terminal connections and preview sessions), built from the connection events.
 */
package dev.rdeportal.query.security;
