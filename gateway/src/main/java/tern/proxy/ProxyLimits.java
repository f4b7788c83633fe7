package tern.proxy;

/**
 * What one exposed connection may hold: an idle client is closed after idleSeconds; each exposed
 * port takes at most maxConnections at once; public ports come from [firstPort, lastPort].
 */
public record ProxyLimits(int idleSeconds, int maxConnections, int firstPort, int lastPort) {
  public static ProxyLimits defaults() { return new ProxyLimits(600, 256, 20000, 29999); }
}
