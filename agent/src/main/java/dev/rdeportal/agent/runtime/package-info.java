/**
 * The workspace runtime SPI: plain records for specs and states (the tunnel converts them to and
 * from protobuf at its edge) and one interface every runtime implements. {@code local} lives in
 * {@code runtime.local}; a {@code kubernetes} runtime (namespace per workspace, exec with a TTY,
 * pod ports) plugs in beside it.
 */
package dev.rdeportal.agent.runtime;
