package tern.proxy;

/**
 * The client's stdio connection to the gateway, after its first line (the job's client token): frames of
 * u8 type | u32 length | bytes. Client to gateway: STDIN, STDIN_EOF, SIGNAL (one byte: the number),
 * RESIZE (u32 rows, u32 cols: the client's terminal changed size, for a job with a terminal).
 * Gateway to client: STDOUT, STDERR, EXIT (four bytes: the status, 128+N for signal N).
 */
public final class StdioFrame {
  public static final byte STDIN = 0;
  public static final byte STDIN_EOF = 1;
  public static final byte SIGNAL = 2;
  public static final byte RESIZE = 3;
  public static final byte STDOUT = 10;
  public static final byte STDERR = 11;
  public static final byte EXIT = 12;
  public static final int HEADER = 5;
  public static final int MAX_PAYLOAD = 1 << 20;

  private StdioFrame() { }
}
