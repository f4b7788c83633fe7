package tern.proxy;

import io.netty.channel.unix.Errors;

import java.net.BindException;

/** Why a public port could not be opened: only a port that something else holds lets a search move on to the next. */
final class ListenFailure {
  /** Linux's EADDRINUSE (the same on x86_64 and arm64, the nodes' and gateway's machines). */
  private static final int EADDRINUSE = 98;

  private ListenFailure() { }

  static boolean portTaken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // epoll: the errno itself
      if (t instanceof Errors.NativeIoException n) return n.expectedErr() == -EADDRINUSE;
      // NIO (where the native library does not load) throws BindException for EADDRINUSE, EADDRNOTAVAIL
      // and EACCES alike: only the message tells them apart
      if (t instanceof BindException) return String.valueOf(t.getMessage()).contains("Address already in use");
    }
    return false;
  }
}
