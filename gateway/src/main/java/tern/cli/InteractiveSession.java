package tern.cli;

import io.vertx.core.json.JsonObject;
import sun.misc.Signal;
import tern.proxy.StdioFrame;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** `tern run` without --detach: the job's stdio through the gateway, the user's signals to the job, its status as ours. */
final class InteractiveSession {
  private final DataOutputStream out;

  private InteractiveSession(DataOutputStream out) { this.out = out; }

  /** terminal: the user's terminal when the job has one (-t): its size changes go to the job's. */
  static int attach(String host, JsonObject job, LocalTerminal terminal) {
    JsonObject stdio = job.getJsonObject("stdio");
    if (stdio == null) throw new CliError(1, "the gateway gave no stdio endpoint for " + job.getString("id"));
    try {
      Socket s = new Socket(host, stdio.getInteger("port"));
      s.setTcpNoDelay(true);
      OutputStream raw = s.getOutputStream();
      raw.write((job.getString("id") + " " + stdio.getString("token") + "\n").getBytes(StandardCharsets.US_ASCII));
      raw.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      String answer = readLine(in);
      if (!answer.equals("ok")) throw new CliError(1, "the gateway refused the job's stdio: " + answer);
      InteractiveSession session = new InteractiveSession(new DataOutputStream(new BufferedOutputStream(raw, 1 << 16)));
      for (String name : new String[] {"INT", "TERM", "HUP"}) {
        Signal sig = new Signal(name);
        Signal.handle(sig, x -> session.send(StdioFrame.SIGNAL, new byte[] {(byte) sig.getNumber()}, 1));
      }
      if (terminal != null) {
        Signal.handle(new Signal("WINCH"), x -> {
          int[] size = terminal.size();
          if (size != null) {
            byte[] b = java.nio.ByteBuffer.allocate(8).putInt(size[0]).putInt(size[1]).array();
            session.send(StdioFrame.RESIZE, b, 8);
          }
        });
      }
      Thread pump = new Thread(() -> session.pumpStdin(System.in), "stdin");
      pump.setDaemon(true);
      pump.start();
      return session.receive(in, job.getString("id"));
    } catch (IOException e) {
      throw new CliError(3, "lost the connection to job " + job.getString("id") + "'s stdio: " + e.getMessage()
          + " (the job goes on: tern ps)");
    }
  }

  private int receive(DataInputStream in, String id) throws IOException {
    byte[] buf = new byte[StdioFrame.MAX_PAYLOAD];
    while (true) {
      byte type;
      int len;
      try {
        type = in.readByte();
        len = in.readInt();
      } catch (EOFException e) {
        throw new IOException("the gateway closed it without the job's exit status");
      }
      if (len < 0 || len > buf.length) throw new IOException("bad frame from the gateway");
      in.readFully(buf, 0, len);
      switch (type) {
        case StdioFrame.STDOUT -> { System.out.write(buf, 0, len); System.out.flush(); }
        case StdioFrame.STDERR -> { System.err.write(buf, 0, len); System.err.flush(); }
        case StdioFrame.EXIT -> {
          System.out.flush();
          return ((buf[0] & 0xff) << 24) | ((buf[1] & 0xff) << 16) | ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
        }
        default -> throw new IOException("unknown frame " + type + " from the gateway");
      }
    }
  }

  private void pumpStdin(InputStream stdin) {
    byte[] buf = new byte[1 << 16];
    try {
      for (int n; (n = stdin.read(buf)) >= 0; ) {
        if (n > 0) send(StdioFrame.STDIN, buf, n);
      }
      send(StdioFrame.STDIN_EOF, buf, 0);
    } catch (IOException e) {
      send(StdioFrame.STDIN_EOF, buf, 0);
    }
  }

  private synchronized void send(byte type, byte[] data, int len) {
    try {
      out.writeByte(type);
      out.writeInt(len);
      out.write(data, 0, len);
      out.flush();
    } catch (IOException e) {
      // the session is over; the receiving side reports it
    }
  }

  private static String readLine(DataInputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0 || b.length() > 200) throw new IOException("no answer from the gateway's stdio port");
      b.append((char) c);
    }
    return b.toString();
  }
}
