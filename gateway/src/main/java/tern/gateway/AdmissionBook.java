package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.admission.MacAddress;
import tern.protocol.Identifiers;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which PCs may take part, by MAC address: those the admin accepted (with the name each gets) and those
 * seen asking that wait for the admin (pending). Pure: the caller keeps it on disk and brings the names
 * that live cluster members hold.
 */
final class AdmissionBook {
  /** Pending PCs kept at most: a LAN machine inventing addresses must not grow the gateway's state for ever. */
  static final int MAX_PENDING = 256;

  enum State { PENDING, ACCEPTED }

  /** name: the node's name once accepted (null while pending); lanIp: where it last asked from. */
  record Entry(MacAddress mac, State state, String name, String lanIp, long firstSeen, long lastSeen, long acceptedAt) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("mac", mac.text()).put("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .put("firstSeen", firstSeen).put("lastSeen", lastSeen);
      if (name != null) j.put("name", name);
      if (lanIp != null) j.put("lanIp", lanIp);
      if (acceptedAt > 0) j.put("acceptedAt", acceptedAt);
      return j;
    }

    static Entry fromJson(JsonObject j) {
      return new Entry(MacAddress.parse(j.getString("mac")), State.valueOf(j.getString("state").toUpperCase(java.util.Locale.ROOT)),
          j.getString("name"), j.getString("lanIp"), j.getLong("firstSeen", 0L), j.getLong("lastSeen", 0L), j.getLong("acceptedAt", 0L));
    }

    boolean accepted() { return state == State.ACCEPTED; }
  }

  private final Map<MacAddress, Entry> entries = new TreeMap<>(Comparator.comparing(MacAddress::text));

  static AdmissionBook fromJson(JsonArray saved) {
    AdmissionBook book = new AdmissionBook();
    for (Object o : saved) {
      Entry e = Entry.fromJson((JsonObject) o);
      book.entries.put(e.mac(), e);
    }
    return book;
  }

  JsonArray toJson() {
    JsonArray a = new JsonArray();
    entries.values().forEach(e -> a.add(e.toJson()));
    return a;
  }

  List<Entry> entries() { return List.copyOf(entries.values()); }

  Optional<Entry> find(MacAddress mac) { return Optional.ofNullable(entries.get(mac)); }

  /** A PC asked from lanIp: its entry, made pending when it is new. */
  Entry seen(MacAddress mac, String lanIp, long now) {
    Entry old = entries.get(mac);
    Entry e = old == null ? new Entry(mac, State.PENDING, null, lanIp, now, now, 0)
        : new Entry(mac, old.state(), old.name(), lanIp, old.firstSeen(), now, old.acceptedAt());
    entries.put(mac, e);
    if (old == null) dropOldestPendingBeyondLimit();
    return e;
  }

  /**
   * Accepts a MAC address (seen or not yet: the admin may accept a PC before it boots) under a name:
   * the one given, else the one it has, else the one its address makes. Refused when another MAC
   * address holds that name, in this book or as a live member of the cluster (liveNames: name to MAC).
   */
  Entry accept(MacAddress mac, String name, Map<String, MacAddress> liveNames, long now) {
    Entry old = entries.get(mac);
    String chosen = name != null ? name : old != null && old.name() != null ? old.name() : mac.defaultNodeName();
    if (!Identifiers.NODE_NAME.matcher(chosen).matches()) {
      throw new RequestError(400, "name '" + chosen + "' is not " + Identifiers.NODE_NAME_SHAPE);
    }
    MacAddress holder = holderOf(chosen, mac, liveNames);
    if (holder != null) {
      throw new RequestError(409, "name " + chosen + " is held by MAC " + holder + "; MAC " + mac
          + " cannot have it too (tern nodes accept " + mac + " --name OTHER)");
    }
    Entry e = new Entry(mac, State.ACCEPTED, chosen, old == null ? null : old.lanIp(), old == null ? now : old.firstSeen(),
        old == null ? now : old.lastSeen(), now);
    entries.put(mac, e);
    return e;
  }

  /** Forgets a MAC address: the PC has to be accepted again. */
  Entry forget(MacAddress mac) {
    Entry e = entries.remove(mac);
    if (e == null) throw new RequestError(404, "MAC " + mac + " is neither accepted nor pending");
    return e;
  }

  /** Another MAC address that holds the name (accepted here, or a live member), or null. */
  MacAddress holderOf(String name, MacAddress mac, Map<String, MacAddress> liveNames) {
    for (Entry e : entries.values()) {
      if (e.accepted() && name.equals(e.name()) && !e.mac().equals(mac)) return e.mac();
    }
    MacAddress live = liveNames.get(name);
    return live != null && !live.equals(mac) ? live : null;
  }

  private void dropOldestPendingBeyondLimit() {
    List<Entry> pending = new ArrayList<>(entries.values().stream().filter(e -> !e.accepted()).toList());
    pending.sort(Comparator.comparingLong(Entry::lastSeen));
    for (int i = 0; i < pending.size() - MAX_PENDING; i++) entries.remove(pending.get(i).mac());
  }
}
