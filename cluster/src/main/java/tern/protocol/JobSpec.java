package tern.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.json.JsonFields;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the submitter asked to run, and as whom. */
public record JobSpec(String id, List<String> argv, String cwd, Map<String, String> env, long uid, long gid, String output,
                      Stdio stdio) {
  /** Linux's uid_t and gid_t are 32 bits, and (uid_t) -1 means "no id". */
  public static final long MAX_ID = 4_294_967_294L;
  /** exec takes one argument, or one NAME=value of the environment, of at most MAX_ARG_STRLEN bytes (its NUL included). */
  public static final int MAX_ARG_BYTES = 131_071;
  /** PATH_MAX, its NUL included. */
  public static final int MAX_PATH_BYTES = 4_095;

  /** Where an interactive job connects its stdin, stdout, stderr and exit status: the gateway's stdio hub. */
  public record Stdio(String host, int port, String token, Terminal terminal) {
    public Stdio {
      if (!host.matches("[0-9.]+") || !token.matches("[0-9a-f]{16,64}") || port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad stdio endpoint");
      }
    }
  }

  /** `tern run -t`: the job gets a pseudo-terminal of the client's size (its stdout and stderr are then one stream). */
  public record Terminal(int rows, int cols) {
    public static final int MAX_SIZE = 10_000;

    public Terminal {
      if (rows < 1 || rows > MAX_SIZE || cols < 1 || cols > MAX_SIZE) throw new IllegalArgumentException("bad terminal size " + rows + "x" + cols);
    }

    /** The terminal's fields, {"rows": R, "cols": C}; null when absent. */
    public static Terminal fromJson(JsonFields j) {
      return j == null ? null : new Terminal((int) j.integer("rows", 1, MAX_SIZE), (int) j.integer("cols", 1, MAX_SIZE));
    }

    public JsonObject toJson() { return new JsonObject().put("rows", rows).put("cols", cols); }
  }

  public JobSpec {
    env = env == null ? Map.of() : env;
    check(argv, cwd, env, uid, gid);
  }

  /**
   * What every job must be, whoever asks for it: a command, an absolute working directory, an
   * environment exec can take, and a user other than root. Fails naming the field.
   */
  public static void check(List<String> argv, String cwd, Map<String, String> env, long uid, long gid) {
    if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("'argv': no command to run");
    for (int i = 0; i < argv.size(); i++) {
      if (bytes(argv.get(i)) > MAX_ARG_BYTES) {
        throw new IllegalArgumentException("'argv[" + i + "]' is longer than exec takes (" + MAX_ARG_BYTES + " bytes)");
      }
    }
    if (cwd == null || !cwd.startsWith("/")) throw new IllegalArgumentException("'cwd' must be an absolute path, got " + cwd);
    if (bytes(cwd) > MAX_PATH_BYTES) throw new IllegalArgumentException("'cwd' is longer than a path can be (" + MAX_PATH_BYTES + " bytes)");
    env.forEach((name, value) -> {
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("'env': bad variable name '" + name + "' (empty, or with '=')");
      }
      if (bytes(name) + 1 + bytes(value) > MAX_ARG_BYTES) {
        throw new IllegalArgumentException("'env." + name + "' is longer than exec takes (" + MAX_ARG_BYTES + " bytes)");
      }
    });
    checkId("uid", uid);
    checkId("gid", gid);
  }

  private static void checkId(String field, long id) {
    if (id == 0) throw new IllegalArgumentException("'" + field + "' is 0: jobs never run as root; submit as a user, or pass --user");
    if (id < 0 || id > MAX_ID) throw new IllegalArgumentException("'" + field + "' must be from 1 to " + MAX_ID + ", got " + id);
  }

  private static int bytes(String s) { return s.getBytes(StandardCharsets.UTF_8).length; }

  /** Where the job's exit status is written when it ends (next to its output, on the shared filesystem). */
  public String statusFile() { return output + ".status"; }

  /** The job's exit status, if it has ended and said so. */
  public Integer exitStatus() {
    try {
      return Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of(statusFile())).trim());
    } catch (java.io.IOException | NumberFormatException e) {
      return null;
    }
  }

  /** A job as another member describes it; every field's type is checked (IllegalArgumentException). */
  public static JobSpec fromJson(JsonObject json) {
    JsonFields j = JsonFields.of(json);
    JsonFields io = j.object("stdio");
    return new JobSpec(j.matching("id", Identifiers.JOB_ID, Identifiers.JOB_ID_SHAPE), j.strings("argv"), j.string("cwd"),
        j.stringMap("env"), j.integer("uid", 1, MAX_ID), j.integer("gid", 1, MAX_ID), j.string("output"),
        io == null ? null : new Stdio(io.string("host"), (int) io.integer("port", 1, 65535), io.string("token"),
            Terminal.fromJson(io.object("tty"))));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("argv", new JsonArray(argv)).put("cwd", cwd)
        .put("env", new JsonObject(new LinkedHashMap<>(env))).put("uid", uid).put("gid", gid).put("output", output)
        .put("stdio", stdio == null ? null : new JsonObject().put("host", stdio.host()).put("port", stdio.port()).put("token", stdio.token())
            .put("tty", stdio.terminal() == null ? null : stdio.terminal().toJson()));
  }
}
