package tern.api;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Requests written byte for byte on a plain socket (the ones an HTTP client library refuses to send),
 * and the answer read with a deadline: a request left unanswered fails the test, it does not hang it.
 */
final class RawHttp {
  /** The final answer, and the interim ones (100 Continue) that came before it. */
  record Answer(int status, List<Integer> interim, String headers, String body) {
    JsonObject json() { return new JsonObject(body); }

    String error() { return json().getString("error"); }
  }

  private final int port;

  RawHttp(int port) { this.port = port; }

  Answer send(String request) throws IOException { return send(request.getBytes(StandardCharsets.ISO_8859_1)); }

  Answer send(byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request);
      return read(s.getInputStream(), new String(request, 0, 4, StandardCharsets.ISO_8859_1).startsWith("HEAD"));
    }
  }

  /** Sends the head, waits for the server's first answer (perhaps 100 Continue), then sends the body. */
  Answer sendExpecting(String head, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String first = line(in);
      int status = Integer.parseInt(first.split(" ")[1]);
      if (status != 100) return finish(in, status, false);
      while (!line(in).isEmpty()) { }
      s.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      Answer a = read(in, false);
      a.interim().add(0, 100);
      return a;
    }
  }

  static Answer read(InputStream in, boolean head) throws IOException {
    List<Integer> interim = new ArrayList<>();
    while (true) {
      int status = Integer.parseInt(line(in).split(" ")[1]);
      if (status >= 200) {
        Answer a = finish(in, status, head);
        a.interim().addAll(interim);
        return a;
      }
      interim.add(status);
      while (!line(in).isEmpty()) { }
    }
  }

  private static Answer finish(InputStream in, int status, boolean head) throws IOException {
    StringBuilder headers = new StringBuilder();
    long length = -1;
    for (String h; !(h = line(in)).isEmpty(); ) {
      headers.append(h).append('\n');
      if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (!head) {
      if (length >= 0) body.write(in.readNBytes((int) length));
      else in.transferTo(body);
    }
    return new Answer(status, new ArrayList<>(), headers.toString(), body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("connection closed after '" + b + "'");
      if (c != '\r') b.append((char) c);
    }
    return b.toString();
  }
}
