package tern.cli;

/** Ends the client with this exit status and message. */
final class CliError extends RuntimeException {
  final int exitCode;

  CliError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
