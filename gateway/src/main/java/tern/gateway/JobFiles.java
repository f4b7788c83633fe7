package tern.gateway;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobs' files in the output directory, by job id: JOB.out (its output), JOB.out.status (its exit
 * status) and JOB.init/ (its init's working directory). The directory is world-writable (each job
 * writes its own output as its user), so everything here is read and removed relative to the open
 * directory and without following links: a job that plants a link cannot make root remove or measure
 * anything outside it.
 */
final class JobFiles {
  private static final Pattern NAME = Pattern.compile("(j[0-9]{1,18})\\.(out|out\\.status|init)");
  private static final String[] SUFFIXES = {".out", ".out.status", ".init"};
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private final Path dir;

  JobFiles(Path dir) { this.dir = dir; }

  /** A job's files: their bytes, and when they were last written. */
  record Usage(long bytes, long modifiedAt) {
    Usage plus(Usage o) { return new Usage(bytes + o.bytes, Math.max(modifiedAt, o.modifiedAt)); }
  }

  /** Every job that has a file here; no directory yet: none. */
  Map<String, Usage> list() {
    Map<String, Usage> out = new HashMap<>();
    try (SecureDirectoryStream<Path> d = open()) {
      if (d == null) return out;
      for (Path entry : d) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (!m.matches()) continue;
        try {
          out.merge(m.group(1), usage(d, entry.getFileName()), Usage::plus);
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list jobs' output in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Removes the job's files unless one was written after {@code notWrittenAfter}; true when none is left.
   * The output goes first, so a removal cut short leaves at most a status file or an init directory,
   * which the next sweep finds and removes.
   */
  boolean remove(String id, long notWrittenAfter) {
    try (SecureDirectoryStream<Path> d = open()) {
      if (d == null) return true;
      for (String suffix : SUFFIXES) {
        try {
          if (usage(d, Path.of(id + suffix)).modifiedAt() > notWrittenAfter) return false;
        } catch (NoSuchFileException none) {
          // nothing of that kind
        }
      }
      for (String suffix : SUFFIXES) delete(d, Path.of(id + suffix));
      return true;
    } catch (IOException e) {
      java.util.logging.Logger.getLogger("tern.gateway").warning("could not remove all files of " + id + " in " + dir + ": " + e.getMessage());
      return false;
    }
  }

  private SecureDirectoryStream<Path> open() throws IOException {
    DirectoryStream<Path> d;
    try {
      d = Files.newDirectoryStream(dir);
    } catch (NoSuchFileException none) {
      return null;
    }
    if (d instanceof SecureDirectoryStream<Path> s) return s;
    d.close();
    throw new IOException("this platform cannot read a directory without following links");
  }

  private static Usage usage(SecureDirectoryStream<Path> d, Path name) throws IOException {
    BasicFileAttributes a = d.getFileAttributeView(name, BasicFileAttributeView.class, NO_FOLLOW).readAttributes();
    Usage u = new Usage(a.isRegularFile() ? a.size() : 0, a.lastModifiedTime().toMillis());
    if (!a.isDirectory()) return u;
    try (SecureDirectoryStream<Path> sub = d.newDirectoryStream(name, NO_FOLLOW)) {
      for (Path entry : sub) {
        try {
          u = u.plus(usage(sub, entry.getFileName()));
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    }
    return u;
  }

  private static void delete(SecureDirectoryStream<Path> d, Path name) throws IOException {
    BasicFileAttributes a;
    try {
      a = d.getFileAttributeView(name, BasicFileAttributeView.class, NO_FOLLOW).readAttributes();
    } catch (NoSuchFileException gone) {
      return;
    }
    try {
      if (a.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = d.newDirectoryStream(name, NO_FOLLOW)) {
          java.util.List<Path> entries = new java.util.ArrayList<>();
          for (Path entry : sub) entries.add(entry.getFileName());
          for (Path entry : entries) delete(sub, entry);
        }
        d.deleteDirectory(name);
      } else {
        d.deleteFile(name);
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile
    }
  }
}
