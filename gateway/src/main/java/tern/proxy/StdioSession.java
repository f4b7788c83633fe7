package tern.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * One interactive job's stdio: its four connections from the capsule (stdin, stdout, stderr,
 * status) and its client's framed connection. Its sockets live on several event loops, so its
 * state is guarded by the session's monitor.
 */
final class StdioSession {
  private static final Logger LOG = Logger.getLogger("tern.stdio");
  final String jobId;
  private final String vip;
  private final String jobToken;
  private final String clientToken;
  private final Runnable onClose;
  private NetSocket stdin, stdout, stderr, status, client;
  private Buffer pendingStdout = Buffer.buffer(), pendingStderr = Buffer.buffer();
  private boolean stdoutDone, stderrDone, held, closed, stdinEof;
  private String pendingResize;
  private Integer exit;
  private final StringBuilder statusText = new StringBuilder();
  private final Buffer earlyStdin = Buffer.buffer();

  StdioSession(String jobId, String vip, String jobToken, String clientToken, Runnable onClose) {
    this.jobId = jobId;
    this.vip = vip;
    this.jobToken = jobToken;
    this.clientToken = clientToken;
    this.onClose = onClose;
  }

  boolean acceptsJob(String token, String fromIp) {
    return sameSecret(jobToken, token) && vip.equals(fromIp);
  }

  boolean acceptsClient(String token) { return sameSecret(clientToken, token); }

  /** In constant time: a comparison that stops at the first wrong byte tells a guesser how much of a guess is right. */
  private static boolean sameSecret(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  synchronized void attachJob(String stream, NetSocket s, Buffer rest) {
    // the end (not the close) of a stream: a paused socket may still hold data when its peer closes
    s.endHandler(v -> jobStreamEnded(stream));
    s.exceptionHandler(e -> {
      LOG.fine(jobId + " " + stream + ": " + e);
      jobStreamEnded(stream);
    });
    switch (stream) {
      case "stdin" -> {
        stdin = s;
        s.drainHandler(v -> { synchronized (this) { if (!held && client != null) client.resume(); } });
        if (earlyStdin.length() > 0) s.write(earlyStdin);
        if (stdinEof) s.end();
        if (client != null && !held) client.resume();
      }
      case "stdout" -> { stdout = s; output(s, StdioFrame.STDOUT, rest); }
      case "stderr" -> { stderr = s; output(s, StdioFrame.STDERR, rest); }
      case "status" -> {
        status = s;
        statusText.append(rest.toString(StandardCharsets.US_ASCII));
        s.handler(buf -> { synchronized (this) { statusText.append(buf.toString(StandardCharsets.US_ASCII)); } });
        if (!held) sendResize();
        s.resume();
      }
      default -> s.close();
    }
  }

  private void output(NetSocket s, byte type, Buffer rest) {
    if (rest.length() > 0) {
      if (type == StdioFrame.STDOUT) pendingStdout.appendBuffer(rest);
      else pendingStderr.appendBuffer(rest);
    }
    s.handler(buf -> toClient(type, buf, s));
    if (client != null) {
      flushPending();
      if (!held) s.resume();
    }
  }

  private synchronized void toClient(byte type, Buffer data, NetSocket from) {
    if (client == null) return;  // the user left: output goes nowhere, as with nohup
    for (int off = 0; off < data.length(); off += StdioFrame.MAX_PAYLOAD) {
      Buffer part = data.getBuffer(off, Math.min(data.length(), off + StdioFrame.MAX_PAYLOAD));
      client.write(frame(type, part));
    }
    if (client.writeQueueFull()) from.pause();  // the client's drain handler resumes it
  }

  synchronized void attachClient(NetSocket c, Buffer rest, IntConsumer signaller) {
    if (client != null) {
      c.write(Buffer.buffer("refused: already attached\n")).onComplete(v -> c.close());
      return;
    }
    client = c;
    // set once, before anything is written, as Vert.x's own pipes do: set only once a queue was full,
    // a drain on the client's event loop between the check and the setting went to no handler, and
    // the job's output stayed paused for good (the likely cause of a `tern run -- cat` of 3 MiB that
    // hung, once, after its job had ended)
    c.drainHandler(v -> { synchronized (this) { if (!held) resumeOutputs(); } });
    c.write(Buffer.buffer("ok\n"));
    RecordParser parser = RecordParser.newFixed(StdioFrame.HEADER);
    byte[] type = new byte[1];
    boolean[] inHeader = {true};
    parser.handler(buf -> {
      if (inHeader[0]) {
        type[0] = buf.getByte(0);
        int len = buf.getInt(1);
        if (len < 0 || len > StdioFrame.MAX_PAYLOAD) { close(); return; }
        if (len == 0) { fromClient(type[0], Buffer.buffer(), signaller); return; }
        inHeader[0] = false;
        parser.fixedSizeMode(len);
      } else {
        inHeader[0] = true;
        parser.fixedSizeMode(StdioFrame.HEADER);
        fromClient(type[0], buf, signaller);
      }
    });
    c.handler(parser);
    c.closeHandler(v -> clientGone());
    if (rest.length() > 0) parser.handle(rest);
    flushPending();
    if (!held) {
      resumeOutputs();
      if (stdin != null) c.resume();
    }
    if (stdin == null) c.pause();
    maybeFinish();
  }

  private void sendResize() {
    if (pendingResize != null && status != null) {
      status.write(Buffer.buffer(pendingResize));
      pendingResize = null;
    }
  }

  private synchronized void fromClient(byte type, Buffer data, IntConsumer signaller) {
    switch (type) {
      case StdioFrame.STDIN -> {
        if (stdin == null) { earlyStdin.appendBuffer(data); return; }
        stdin.write(data);
        if (stdin.writeQueueFull()) client.pause();  // stdin's drain handler resumes it
      }
      case StdioFrame.STDIN_EOF -> {
        stdinEof = true;
        if (stdin != null) stdin.end();
      }
      case StdioFrame.SIGNAL -> signaller.accept(data.getByte(0));
      case StdioFrame.RESIZE -> {
        if (data.length() != 8) { close(); return; }
        // to the job's terminal relay, over the status connection (the only one it reads from the gateway);
        // a frozen job is not written to: the latest size waits for the release
        pendingResize = "winch " + data.getInt(0) + " " + data.getInt(4) + "\n";
        if (!held) sendResize();
      }
      default -> close();
    }
  }

  private void flushPending() {
    if (pendingStdout.length() > 0) { client.write(frame(StdioFrame.STDOUT, pendingStdout)); pendingStdout = Buffer.buffer(); }
    if (pendingStderr.length() > 0) { client.write(frame(StdioFrame.STDERR, pendingStderr)); pendingStderr = Buffer.buffer(); }
  }

  private synchronized void jobStreamEnded(String stream) {
    switch (stream) {
      case "stdout" -> stdoutDone = true;
      case "stderr" -> stderrDone = true;
      case "status" -> {
        String text = statusText.toString().trim();
        if (!text.isEmpty() && exit == null) exit = Integer.parseInt(text);
      }
      default -> { }
    }
    maybeFinish();
  }

  /** The job ended, as its node reported (the status connection may have died with it). */
  synchronized void ended(int code) {
    if (exit == null) exit = code;
    stdoutDone = stdoutDone || stdout == null;
    stderrDone = stderrDone || stderr == null;
    maybeFinish();
  }

  private void maybeFinish() {
    if (exit == null || !stdoutDone || !stderrDone || client == null || closed) return;
    client.write(frame(StdioFrame.EXIT, Buffer.buffer().appendInt(exit)));
    client.end();
    close();
  }

  synchronized void hold() {
    held = true;
    for (NetSocket s : new NetSocket[] {stdout, stderr, status, client}) if (s != null) s.pause();
  }

  synchronized void release() {
    held = false;
    if (client != null) {
      resumeOutputs();
      if (stdin != null) client.resume();
    }
    if (status != null) status.resume();
    sendResize();
  }

  private void resumeOutputs() {
    if (stdout != null) stdout.resume();
    if (stderr != null) stderr.resume();
  }

  private synchronized void clientGone() {
    // the user went away (the client died): the job's stdin ends, the job goes on like a nohup'd one
    if (!closed && stdin != null) stdin.end();
    client = null;
  }

  synchronized void close() {
    if (closed) return;
    closed = true;
    for (NetSocket s : new NetSocket[] {stdin, stdout, stderr, status}) if (s != null) s.close();
    onClose.run();
  }

  static Buffer frame(byte type, Buffer payload) {
    return Buffer.buffer(StdioFrame.HEADER + payload.length()).appendByte(type).appendInt(payload.length()).appendBuffer(payload);
  }
}
