package tern.protocol;

import java.util.regex.Pattern;

/**
 * What a job id and a node name look like, wherever one arrives (the API, a command). They become parts
 * of a capsule's interface, namespace and cgroup names on the node (IFNAMSIZ is 16).
 */
public final class Identifiers {
  public static final Pattern JOB_ID = Pattern.compile("j[0-9]{1,8}");
  public static final String JOB_ID_SHAPE = "a job id (j and 1 to 8 digits)";
  public static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9]{0,7}");
  public static final String NODE_NAME_SHAPE = "a node name (a lower-case letter, then up to 7 letters or digits)";

  private Identifiers() { }
}
