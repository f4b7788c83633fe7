#!/bin/sh
# Finishes an image's root inside it (mmdebstrap runs it chrooted, with /proc mounted), after the
# Tern files were copied in: setup-in-root.sh node|gateway
# What the packages set up for a writable, single-machine system is made to fit a read-only root
# shared by many machines.
set -eu
role=${1:?usage: setup-in-root.sh node|gateway}
export DEBIAN_FRONTEND=noninteractive

# Services from the presets only: the image's own (50-tern-*.preset) say what starts
systemctl preset-all
# What a read-only appliance has no use for, and what would write to it
systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \
  man-db.timer systemd-networkd-wait-online.service 2>/dev/null || true
# systemd makes a machine-id at each boot when this is empty (the gateway), or finds one laid over
# it by the initramfs (a node: node/initramfs-identity)
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id

# /var is a RAM disk on both (their root is read-only), empty at each boot: what the NFS tools keep
# there (statd's state, the server's export table) is copied in from the image at boot, or the NFS
# server cannot start and a node's NFS mounts cannot lock
mkdir -p /usr/share/factory/var/lib
cp -a /var/lib/nfs /usr/share/factory/var/lib/
printf '%s\n' '# the NFS tools'"'"' state, from the image (tern-image-setup)' 'C /var/lib/nfs' > /usr/lib/tmpfiles.d/tern-var.conf

kernel=$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n1)
version=${kernel#/boot/vmlinuz-}
update-initramfs -u -k "$version"

case "$role" in
  node)
    echo tern-node > /etc/hostname
    ;;
  gateway)
    echo tern-gateway > /etc/hostname
    # The nodes' network boot: pxelinux and its one module, from this suite's packages
    install -m 0644 /usr/lib/PXELINUX/pxelinux.0 /usr/lib/syslinux/modules/bios/ldlinux.c32 /srv/tern/tftp/
    # GRUB for BIOS, whole in the gap before the first partition: its core holds the modules to read
    # the squashfs root and a configuration that boots its kernel directly (no menu, nothing to
    # read from a /boot/grub that a read-only root could not update anyway). The data partition may
    # show up late (a slow CF card or USB stick, an emulated machine): systemd waits 10 minutes for it.
    cat > /tmp/grub-early.cfg <<EOT
set root=(hd0,msdos1)
linux /boot/vmlinuz-$version root=PARTUUID=7465726e-01 rootfstype=squashfs ro net.ifnames=0 systemd.default_device_timeout_sec=600 console=tty0 console=ttyS0,115200
initrd /boot/initrd.img-$version
boot
EOT
    grub-mkimage -O i386-pc -o /tmp/grub-core.img -p '(hd0,msdos1)/boot/grub' -c /tmp/grub-early.cfg \
      biosdisk part_msdos squash4 xzio gzio linux echo
    cp /usr/lib/grub/i386-pc/boot.img /tmp/grub-boot.img
    ;;
  *) echo "setup-in-root.sh: unknown role $role" >&2; exit 2 ;;
esac

# The services' class path, spelled out in name order (java @/opt/tern/jvm/classpath): a class-data
# archive serves only the class path it was made with, and Java expands lib/* in the order the
# folder lists its files, which differs between the disk this is built on and the squashfs it runs from
classpath=$(find /opt/tern/lib -maxdepth 1 -name '*.jar' | LC_ALL=C sort | paste -sd: -)
printf -- '-cp %s\n' "$classpath" > /opt/tern/jvm/classpath
/opt/tern/jvm/class-archive.sh "$classpath" /opt/tern/jvm/services.jsa
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/*.log
