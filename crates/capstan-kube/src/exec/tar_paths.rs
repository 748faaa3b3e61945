//! Unpacking a downloaded archive so that nothing lands outside the chosen
//! destination: absolute entries, `..`, links pointing outside and entries
//! not under the requested name are refused with the entry's name.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::Error;

fn escape(entry: &Path, dest: &Path, why: &'static str) -> Error {
    Error::CopyPathEscapes {
        entry: entry.display().to_string(),
        dest: dest.to_path_buf(),
        why,
    }
}

fn local<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::CopyLocal {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Where `entry` (an archive path that should start with `name`, the
/// remote file or folder's name) goes: `dest` itself for `name`, below it
/// for `name/...`.
pub(crate) fn map_entry(entry: &Path, name: &str, dest: &Path) -> Result<PathBuf, Error> {
    let mut parts = Vec::new();
    for c in entry.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => return Err(escape(entry, dest, "it contains \"..\"")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(escape(entry, dest, "it is an absolute path"))
            }
        }
    }
    match parts.split_first() {
        Some((first, rest)) if *first == name => {
            Ok(rest.iter().fold(dest.to_path_buf(), |p, c| p.join(c)))
        }
        _ => Err(escape(entry, dest, "it is not under the requested path")),
    }
}

/// A symbolic link's target, resolved from where the link is written, must
/// stay inside `dest`.
pub(crate) fn check_link(
    entry: &Path,
    target: &Path,
    out: &Path,
    dest: &Path,
) -> Result<(), Error> {
    let mut resolved = out.parent().map(Path::to_path_buf).unwrap_or_default();
    for c in target.components() {
        match c {
            Component::Normal(p) => resolved.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return Err(escape(entry, dest, "its link points outside"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(escape(entry, dest, "its link points to an absolute path"))
            }
        }
    }
    if resolved.starts_with(dest) {
        Ok(())
    } else {
        Err(escape(entry, dest, "its link points outside"))
    }
}

/// Unpacks the archive `kubectl cp`'s remote `tar cf - -C <dir> <name>`
/// sends into `dest`. Returns how many entries were written.
pub(crate) fn unpack(reader: impl Read, name: &str, dest: &Path) -> Result<u64, Error> {
    let mut archive = tar::Archive::new(reader);
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root_parent = parent.canonicalize().map_err(local("open", parent))?;
    let mut written = 0;
    for entry in archive
        .entries()
        .map_err(local("read the archive for", dest))?
    {
        let mut entry = entry.map_err(local("read the archive for", dest))?;
        let raw = entry
            .path()
            .map_err(local("read the archive for", dest))?
            .into_owned();
        let out = map_entry(&raw, name, dest)?;
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            let target = entry
                .link_name()
                .map_err(local("read the archive for", dest))?
                .map(|t| t.into_owned())
                .ok_or_else(|| escape(&raw, dest, "its link has no target"))?;
            if kind.is_symlink() {
                check_link(&raw, &target, &out, dest)?;
            } else {
                // A hard link names another entry of the archive.
                let source = map_entry(&target, name, dest)?;
                make_parent(&out, dest, &root_parent)?;
                std::fs::hard_link(&source, &out).map_err(local("link", &out))?;
                written += 1;
                continue;
            }
        } else if !(kind.is_file() || kind.is_dir()) {
            // Devices and fifos are not copied, as kubectl cp does not.
            continue;
        }
        make_parent(&out, dest, &root_parent)?;
        entry.unpack(&out).map_err(local("write", &out))?;
        written += 1;
    }
    Ok(written)
}

/// Creates the entry's folder and checks that, with any links already on
/// disk followed, it is still inside the destination.
fn make_parent(out: &Path, dest: &Path, root_parent: &Path) -> Result<(), Error> {
    let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(parent).map_err(local("create", parent))?;
    let real = parent.canonicalize().map_err(local("open", parent))?;
    let allowed = if out == dest {
        root_parent.to_path_buf()
    } else {
        root_parent.join(dest.file_name().unwrap_or_default())
    };
    if real.starts_with(&allowed) {
        Ok(())
    } else {
        Err(escape(out, dest, "a link on disk leads outside"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, &[u8])], links: &[(&str, &str)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // Set the name bytes directly: the builder's own setters refuse "..".
            let name = &mut h.as_old_mut().name;
            name[..path.len()].copy_from_slice(path.as_bytes());
            h.set_cksum();
            b.append(&h, *data).expect("append");
        }
        for (path, target) in links {
            let mut h = tar::Header::new_gnu();
            h.set_size(0);
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_path(path).expect("path");
            h.set_link_name(target).expect("link");
            h.set_cksum();
            b.append(&h, &[][..]).expect("append");
        }
        b.into_inner().expect("archive")
    }

    #[test]
    fn files_land_under_the_destination() {
        let dir = tempfile::tempdir().expect("tmp");
        let dest = dir.path().join("out");
        let data = archive(
            &[("d/a.txt", b"a"), ("d/sub/b.txt", b"b")],
            &[("d/l", "sub/b.txt")],
        );
        assert_eq!(unpack(&data[..], "d", &dest).expect("unpack"), 3);
        assert_eq!(std::fs::read(dest.join("sub/b.txt")).expect("b"), b"b");
        assert_eq!(std::fs::read(dest.join("l")).expect("via link"), b"b");
    }

    #[test]
    fn dot_dot_is_refused_and_nothing_escapes() {
        let dir = tempfile::tempdir().expect("tmp");
        let dest = dir.path().join("inner").join("out");
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        let data = archive(&[("d/../../evil", b"x")], &[]);
        let e = unpack(&data[..], "d", &dest).expect_err("refused");
        assert!(matches!(e, Error::CopyPathEscapes { .. }), "{e:?}");
        assert!(e.to_string().contains("d/../../evil"), "{e}");
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn absolute_and_foreign_entries_are_refused() {
        let dest = Path::new("/tmp/x/out");
        assert!(map_entry(Path::new("/etc/passwd"), "d", dest).is_err());
        assert!(map_entry(Path::new("other/f"), "d", dest).is_err());
        assert_eq!(
            map_entry(Path::new("./d/f"), "d", dest).expect("ok"),
            Path::new("/tmp/x/out/f")
        );
    }

    #[test]
    fn links_pointing_outside_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let dest = dir.path().join("out");
        for target in ["/etc", "../../x", "../"] {
            let data = archive(&[], &[("d/link", target)]);
            let e = unpack(&data[..], "d", &dest).expect_err(target);
            assert!(e.to_string().contains("d/link"), "{e}");
        }
        // A link out followed by a file written through it.
        let data = archive(&[("d/up/passwd", b"x")], &[("d/up", "..")]);
        assert!(unpack(&data[..], "d", &dest).is_err());
    }
}
