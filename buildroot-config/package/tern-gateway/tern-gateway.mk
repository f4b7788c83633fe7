################################################################################
#
# tern-gateway
#
################################################################################

# The Maven build's output (see external.mk)
$(eval $(call TERN_MAVEN_OUTPUT,TERN_GATEWAY,gateway))

define TERN_GATEWAY_INSTALL_TARGET_CMDS
	$(TERN_INSTALL_CLASS_PATH)
	$(INSTALL) -m 0644 $(@D)/tern-gateway-$(TERN_GATEWAY_VERSION).jar \
		$(TARGET_DIR)/opt/tern/lib/
	$(INSTALL) -D -m 0644 $(TERN_JVM_DIR)/gateway.options \
		$(TARGET_DIR)/opt/tern/jvm/gateway.options
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/gateway/gateway.env \
		$(TARGET_DIR)/opt/tern/etc/gateway.env
	$(INSTALL) -D -m 0755 -t $(TARGET_DIR)/opt/tern/sbin \
		$(TERN_APPLIANCE_DIR)/gateway/tern-firstboot.sh \
		$(TERN_APPLIANCE_DIR)/gateway/tern-gateway-start.sh
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/firewall/gateway.nft \
		$(TARGET_DIR)/etc/nftables.conf
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/dnsmasq/tern-lan.conf \
		$(TARGET_DIR)/etc/dnsmasq.conf
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/nfs/exports \
		$(TARGET_DIR)/etc/exports
	$(INSTALL) -D -m 0644 -t $(TARGET_DIR)/etc/systemd/network \
		$(TERN_APPLIANCE_DIR)/network/10-outside.network \
		$(TERN_APPLIANCE_DIR)/network/20-lan.network
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/network/50-tern-gateway.conf \
		$(TARGET_DIR)/etc/sysctl.d/50-tern-gateway.conf
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/gateway/tmpfiles.conf \
		$(TARGET_DIR)/usr/lib/tmpfiles.d/tern-gateway.conf
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/pxelinux/default \
		$(TARGET_DIR)/srv/tern/tftp/pxelinux.cfg/default
	mkdir -p $(TARGET_DIR)/srv/tern/node-root $(TARGET_DIR)/var/lib/tern
endef

define TERN_GATEWAY_INSTALL_INIT_SYSTEMD
	$(call TERN_INSTALL_UNITS,50-tern-gateway.preset,\
		tern-gateway.service tern-firstboot.service var-lib-tern.mount)
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/systemd/needs-data.conf \
		$(TARGET_DIR)/usr/lib/systemd/system/dnsmasq.service.d/tern.conf
	$(INSTALL) -D -m 0644 $(TERN_APPLIANCE_DIR)/systemd/needs-data.conf \
		$(TARGET_DIR)/usr/lib/systemd/system/nfs-server.service.d/tern.conf
endef

$(eval $(generic-package))
