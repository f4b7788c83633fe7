package tern.capsule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the submitter asked to run, and as whom. */
public record JobSpec(String id, List<String> argv, String cwd, Map<String, String> env, int uid, int gid, String output,
                      Stdio stdio) {
  /** Where an interactive job connects its stdin, stdout, stderr and exit status: the gateway's stdio hub. */
  public record Stdio(String host, int port, String token, Terminal terminal) {
    public Stdio {
      if (!host.matches("[0-9.]+") || !token.matches("[0-9a-f]{16,64}")) throw new IllegalArgumentException("bad stdio endpoint");
    }
  }

  /** `tern run -t`: the job gets a pseudo-terminal of the client's size (its stdout and stderr are then one stream). */
  public record Terminal(int rows, int cols) {
    public Terminal {
      if (rows < 1 || rows > 10_000 || cols < 1 || cols > 10_000) throw new IllegalArgumentException("bad terminal size " + rows + "x" + cols);
    }

    public static Terminal fromJson(JsonObject j) {
      return j == null ? null : new Terminal(j.getInteger("rows", 0), j.getInteger("cols", 0));
    }

    JsonObject toJson() { return new JsonObject().put("rows", rows).put("cols", cols); }
  }

  public JobSpec {
    if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("no command to run");
    if (uid == 0) throw new IllegalArgumentException("jobs never run as root");
    if (uid < 0 || gid < 0) throw new IllegalArgumentException("bad uid/gid " + uid + "/" + gid);
    if (cwd == null || !cwd.startsWith("/")) throw new IllegalArgumentException("working directory must be absolute, got " + cwd);
  }

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

  public static JobSpec fromJson(JsonObject j) {
    List<String> argv = new ArrayList<>();
    for (Object o : j.getJsonArray("argv", new JsonArray())) argv.add(String.valueOf(o));
    Map<String, String> env = new LinkedHashMap<>();
    j.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    JsonObject io = j.getJsonObject("stdio");
    return new JobSpec(j.getString("id"), argv, j.getString("cwd"), env,
        j.getInteger("uid", -1), j.getInteger("gid", -1), j.getString("output"),
        io == null ? null : new Stdio(io.getString("host"), io.getInteger("port"), io.getString("token"),
            Terminal.fromJson(io.getJsonObject("tty"))));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("argv", new JsonArray(argv)).put("cwd", cwd)
        .put("env", new JsonObject(new LinkedHashMap<>(env))).put("uid", uid).put("gid", gid).put("output", output)
        .put("stdio", stdio == null ? null : new JsonObject().put("host", stdio.host()).put("port", stdio.port()).put("token", stdio.token())
            .put("tty", stdio.terminal() == null ? null : stdio.terminal().toJson()));
  }
}
