#!/bin/sh
# Brokered opens, links and renames behave like native ones: the same cases
# (tests/run/progs/opens.c) run natively and under ferry, each in a directory
# of its own; both must give the expected result, and leave the same files
# behind on the host.
. "$(dirname "$0")/../lib.sh"

PROG=$FERRY_BUILDDIR/tests/run/progs/opens

# The files a case left: name, type, mode, size, links, owner, link target
# (with the side's own directory, fer/ or nat/, written as @).
tree_of() {
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m %s %n %u:%g %l\n' | LC_ALL=C sort |
		sed "s|$WORK/${1%%/*}/|@/|g")
}

# on_host CASE DESCRIPTION EXPECTED COMMAND...: COMMAND's output, run on the
# host in the case's directory after the ferry run, is EXPECTED.
on_host() {
	_case=$1 _hdesc=$2 _hexp=$3
	shift 3
	expect_eq "$_case: $_hdesc (host)" "$(cd "fer/c.$_case" 2>/dev/null && "$@" 2>&1)" "$_hexp"
}

listing() { ls -A | tr '\n' ' '; }
words() { for _w; do printf '%s ' "$(cat "$_w")"; done; }
flat() { tr "\n" " " <"$1"; }
exists() { if [ -e "$1" ] || [ -L "$1" ]; then echo present; else echo absent; fi; }

# What ferry gives where it documents a difference from native (ferry(1),
# LIMITATIONS): the kernel installs no O_PATH file in another process, so an
# O_PATH open gets a read-only fd, and a symlink itself cannot be opened.
ferry_expect() {
	case $1 in
	opath_file) echo "ok accmode=0 path=0" ;;
	opath_nofollow) echo "EOPNOTSUPP" ;;
	*) echo "$2" ;;
	esac
}

test_body() {
	[ -x "$PROG" ] || skip "$PROG is not built"
	mkdir nat fer
	cp "$PROG" nat/opens
	cp "$PROG" fer/opens

	(cd nat && ./opens all >out 2>err)
	check "the cases run natively" test -s nat/out
	(cd fer && "$FERRY" -- ./opens all >out 2>err)
	expect_eq "ferry runs the cases and exits 0" "$?" 0
	expect_eq "nothing on ferry's stderr" "$(cat fer/err)" ""

	if is_root; then
		PERM_DIR=ok PERM_FILE="ok data"
	else
		PERM_DIR=EACCES PERM_FILE=EACCES
	fi
	while read -r name exp; do
		got_f=$(sed -n "s/^$name //p" fer/out)
		got_n=$(sed -n "s/^$name //p" nat/out)
		expect_eq "$name under ferry" "$got_f" "$(ferry_expect "$name" "$exp")"
		expect_eq "$name natively" "$got_n" "$exp"
		expect_eq "$name leaves the same files as natively" \
			"$(tree_of "fer/c.$name")" "$(tree_of "nat/c.$name")"
	done <<TABLE
rel_cwd                   ok data
rel_subdir                ok inner
dotdot                    ok data
dotdot_dot                ok inner
dotdot_symlink            ok physical
chdir                     ok inner
openat_dirfd              ok inner
openat_opath              ok inner
openat_dirfd_dotdot       ok outer
openat_dirfd_chdir        ok inner
openat_dirfd_renamed      ok inner
openat_dirfd_deleted      ENOENT
openat_filefd             ENOTDIR
openat_badfd              EBADF
openat_negfd              EBADF
openat_badfd_abs          ok data
creat_umask027            ok mode=0640
creat_umask0              ok mode=0666
creat_umask077_dir        ok mode=0700
creat_existing            ok data
excl                      EEXIST
excl_new                  ok
excl_symlink              EEXIST
trunc                     ok size=0
append                    ok
offset_zero               ok offset=0
accmode                   ok 0 1 2 write(rdonly)=EBADF read(wronly)=EBADF
nonblock                  ok plain=0 asked=1
cloexec                   ok plain=0 cloexec=1 openat2=1
directory_on_file         ENOTDIR
directory_on_dir          ok
wronly_dir                EISDIR
creat_on_dir              EISDIR
sys_creat                 ok old:size=0,mode=0644 new:mode=0644,accmode=1
sys_open                  ok data
nofollow                  ELOOP
opath_nofollow            ok symlink -> f
nofollow_middle           ok inner
follow_rel                ok data
follow_abs                ok data
follow_chain              ok end
follow_updir              ok outer
follow_dirlink            ok inner
symlink_loop              ELOOP
dangling_read             ENOENT
dangling_creat            ok mode=0600
dangling_creat_abs        ok
dangling_creat_nofollow   ELOOP
slash_file                ENOTDIR
slash_dir                 ok
slash_creat               EISDIR
slash_symlink_file        ENOTDIR
slash_symlink_dir         ok
slash_missing             ENOENT
tmpfile_link              ok nlink=0 mode=0640 entries=0 link=ok
tmpfile_excl              ENOENT
tmpfile_rdonly            EINVAL
tmpfile_on_file           ENOTDIR
o2_beneath_dotdot         EXDEV
o2_beneath_ok             ok inner
o2_beneath_abs            EXDEV
o2_beneath_symlink_out    EXDEV
o2_beneath_cwd            EXDEV
o2_in_root                ok inner
o2_in_root_dotdot         ok inner
o2_in_root_abs_symlink    ok inner
o2_in_root_creat          ok
o2_no_symlinks            ELOOP
o2_no_symlinks_middle     ELOOP
o2_no_symlinks_plain      ok inner
o2_bad_flag_high          EINVAL
o2_bad_flag_low           EINVAL
o2_bad_resolve            EINVAL
o2_mode_without_creat     EINVAL
o2_bad_mode               EINVAL
o2_creat_mode             ok mode=0604
o2_small_size             EINVAL
o2_big_size               nonzero:E2BIG zero:ok
enoent                    ENOENT
enoent_dir                ENOENT
enotdir_component         ENOTDIR
empty                     ENOENT
path_max                  ENAMETOOLONG
path_max_minus1           ok data
name_max                  ENAMETOOLONG
null                      EFAULT
unmapped                  EFAULT
page_end                  ok data
page_cross                EFAULT
null_link                 EFAULT
null_rename               EFAULT
perm_dir                  $PERM_DIR
perm_file                 $PERM_FILE
owner                     ok uid=euid gid=egid
fifo_nonblock_read        ok
fifo_nonblock_write       ENXIO
fifo_blocking             ok through fifo
rename                    ok
rename_replace            ok
renameat                  ok
rename_noreplace          EEXIST
rename_noreplace_new      ok
rename_exchange           ok
rename_exchange_missing   ENOENT
rename_bad_flags          EINVAL
rename_symlink            ok
rename_slash_file         ENOTDIR
rename_slash_dir          ok
rename_into_self          EINVAL
rename_missing            ENOENT
link                      ok same=1 nlink=2
link_exists               EEXIST
link_dir                  EPERM
link_missing              ENOENT
link_slash                ENOENT
linkat_dirfd              ok
linkat_nofollow           ok symlink
linkat_follow             ok file same=1
linkat_bad_flags          EINVAL
linkat_proc_fd            ok
opath_file                ok accmode=0 path=1
slash_creat_file          EISDIR
slash_creat_excl          EISDIR
creat_directory           EINVAL
open_dotdot               ok same=1
open_unknown_flag         ok data
socket_file               ENXIO
dirfd_named_deleted       ok inner
cwd_named_deleted         ok inner
cwd_deleted               ENOENT
o2_no_xdev                ok inner
o2_no_magiclinks          ELOOP
o2_no_symlinks_magic      ELOOP
setgid_dir                ok gid=dir
rename_dir_nonempty       ENOTEMPTY
rename_dir_empty          ok
rename_file_over_dir      EISDIR
TABLE

	# What the cases left on the host, beyond the comparison above.
	me="$(id -u):$(id -g)"
	on_host creat_umask027 "umask 027 + 0666 is 0640" 640 stat -c %a n
	on_host creat_umask027 "owned by the caller" "$me" stat -c %u:%g n
	on_host creat_umask0 "umask 0 + 0666 is 0666" 666 stat -c %a n
	on_host creat_umask077_dir "created in the dirfd's directory" 700 stat -c %a d/n
	on_host excl "O_EXCL left the file alone" data cat f
	on_host excl_new "O_EXCL created and wrote" new cat n
	on_host excl_symlink "O_EXCL did not follow the dangling link" absent exists target
	on_host trunc "O_TRUNC emptied the file" 0 stat -c %s f
	on_host append "two O_APPEND writes went to the end" "x a b " flat f
	on_host sys_creat "creat() truncated the old file" "0 644" stat -c '%s %a' f
	on_host sys_creat "creat() made the new one" "0 644" stat -c '%s %a' n
	on_host dangling_creat "O_CREAT through a dangling link made its target" "via link" cat target
	on_host dangling_creat "with the mode asked" 600 stat -c %a target
	on_host dangling_creat "the link is still a link" "symbolic link" stat -c %F l
	on_host dangling_creat_abs "absolute dangling link: target made" "regular empty file" stat -c %F d/target
	on_host dangling_creat_nofollow "O_NOFOLLOW: no target" absent exists target
	on_host slash_creat "open(\"n/\", O_CREAT) made nothing" "" listing
	on_host slash_creat_excl "open(\"n/\", O_CREAT|O_EXCL) made nothing" "" listing
	on_host slash_creat_file "open(\"f/\", O_CREAT) left f alone" data cat f
	on_host tmpfile_link "O_TMPFILE linked into place" tmp cat pub
	on_host tmpfile_link "nothing else appeared" "pub " listing
	on_host tmpfile_excl "O_TMPFILE|O_EXCL cannot be linked" "" listing
	on_host o2_in_root_creat "RESOLVE_IN_ROOT created under the dirfd" "d " listing
	on_host o2_in_root_creat "as d/n" present exists d/n
	on_host o2_creat_mode "openat2 mode 0604 with umask 0" 604 stat -c %a n
	on_host o2_bad_mode "openat2 with a bad mode made nothing" "" listing
	on_host name_max "a 256-byte name made nothing" "" listing
	on_host owner "a created file is the caller's" "$me" stat -c %u:%g n
	on_host cwd_deleted "nothing created for a deleted cwd" "" listing
	on_host openat_dirfd_deleted "nothing created for a deleted dirfd" "" listing
	on_host setgid_dir "group inherited from a setgid directory" "$(stat -c %g fer/c.setgid_dir/d 2>/dev/null)" stat -c %g d/n
	on_host rename "renamed" "b " listing
	on_host rename "content moved" A cat b
	on_host rename_replace "replaced" "A" cat b
	on_host renameat "renameat from a dirfd to the cwd" "b d " listing
	on_host rename_noreplace "RENAME_NOREPLACE left both" "A B " words a b
	on_host rename_exchange "RENAME_EXCHANGE swapped them" "B A " words a b
	on_host rename_exchange_missing "failed exchange left a" "a " listing
	on_host rename_bad_flags "EXCHANGE|NOREPLACE left both" "A B " words a b
	on_host rename_symlink "renamed the link, not its target" "f l2 " listing
	on_host rename_symlink "the link still names f" f readlink l2
	on_host rename_slash_file "rename(f, g/) renamed nothing" "f " listing
	on_host rename_slash_dir "rename(d/, e/) renamed the directory" "e " listing
	on_host rename_into_self "nothing moved into itself" "" sh -c 'ls -A d'
	on_host link "a hard link: two names" 2 stat -c %h f
	on_host link "same inode" "$(stat -c %i fer/c.link/f 2>/dev/null)" stat -c %i h
	on_host link_exists "EEXIST left h alone" other cat h
	on_host link_slash "link(f, h/) made nothing" "f " listing
	on_host linkat_dirfd "linkat between dirfds" 2 stat -c %h d/f
	on_host linkat_nofollow "linkat without FOLLOW links the symlink" "symbolic link" stat -c %F h
	on_host linkat_follow "linkat with FOLLOW links the file" "regular file 2" stat -c '%F %h' h
	on_host linkat_proc_fd "linkat of /proc/self/fd/N with FOLLOW" 2 stat -c %h f
	if is_root; then
		on_host perm_dir "root wrote into a 0555 directory" present exists r/x
	else
		on_host perm_dir "nothing written into a 0555 directory" absent exists r/x
	fi

	# A root guest's file-system ids: a process that switched to another
	# user creates files as that user, and is refused what that user may
	# not do.
	if is_root; then
		mkdir asuser
		chmod 777 asuser
		echo secret >asuser/rootfile
		chmod 600 asuser/rootfile
		(cd asuser && "$FERRY" -- setpriv --reuid=65534 --regid=65534 --clear-groups \
			sh -c 'echo mine > n; cat rootfile' >../.asout 2>../.aserr)
		expect_eq "setpriv'd guest: cat of a root 0600 file fails" "$?" 1
		expect_contains "with EACCES" "$(cat .aserr)" "Permission denied"
		expect_eq "setpriv'd guest's file is owned by 65534" "$(stat -c %u:%g asuser/n)" "65534:65534"
	fi
}

ferry_test_main "$@"
