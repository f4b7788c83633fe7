package tern.cluster;

import io.vertx.core.json.JsonObject;
import tern.protocol.Command;
import tern.protocol.Event;
import tern.protocol.Protocol;

import java.util.List;
import java.util.Map;

/**
 * Run once per build with -XX:ArchiveClassesAtExit, in a network namespace of its own (tests/lab/lab.sh
 * does it; a real machine's image is made the same way): it joins a cluster of one on the loopback
 * address and uses what the gateway and the migrators use of Hazelcast and Vert.x, so that the class-data
 * archive it leaves holds those classes. A gateway or migrator started with that archive maps them from
 * the file instead of building them in its own metaspace: less resident memory, and a faster start.
 */
public final class ServiceClassArchive {
  private ServiceClassArchive() { }

  public static void main(String[] args) {
    ClusterMember member = ClusterMember.join("127.0.0.1", List.of("127.0.0.1"), Map.of(ClusterMember.ATTR_ROLE, "archive"));
    var hz = member.hazelcast();
    for (String map : List.of(ClusterNames.JOBS, ClusterNames.JOB_LOAD, ClusterNames.NODE_LOAD, ClusterNames.MIGRATIONS)) {
      hz.<String, String>getMap(map).put("j1", new JsonObject().put("id", "j1").encode());
      hz.<String, String>getMap(map).values();
    }
    hz.getCPSubsystem().getAtomicLong(ClusterNames.JOB_IDS).incrementAndGet();
    hz.getRingbuffer(ClusterNames.EVENTS).add("event");
    String address = ClusterNames.nodeAddress("archive");
    member.vertx().eventBus().<JsonObject>consumer(address, msg -> msg.reply(msg.body()))
        .completion().toCompletionStage().toCompletableFuture().join();
    // the protocol's codec too: both services read and write commands and events with it
    JsonObject jobs = Protocol.encode(new Command.Jobs());
    Protocol.command(member.vertx().eventBus().<JsonObject>request(address, jobs).toCompletionStage().toCompletableFuture().join().body());
    Protocol.event(Protocol.encode(new Event.NodeUp("archive")));
    member.leave();
    System.exit(0);
  }
}
