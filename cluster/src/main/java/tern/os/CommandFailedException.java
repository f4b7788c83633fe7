package tern.os;

public class CommandFailedException extends RuntimeException {
  public CommandFailedException(String message) { super(message); }
}
