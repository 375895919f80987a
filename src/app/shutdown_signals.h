// SIGINT and SIGTERM end a process in order: main blocks them before any thread starts
// (threads inherit the mask), so no thread is interrupted, and one sigwait receives them.
#pragma once

namespace rkd {

// Blocks SIGINT and SIGTERM in the calling thread (call it first thing in main), and
// ignores SIGPIPE (a peer closing a socket is an error return, not a signal).
void BlockShutdownSignals();

// Waits until SIGINT or SIGTERM arrives and returns its number.
int WaitForShutdownSignal();

}  // namespace rkd
