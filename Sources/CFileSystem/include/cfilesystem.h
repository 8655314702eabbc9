// What Glibc's Swift module does not export: the type of the file system holding a path.
#ifndef ADVISOR_CFILESYSTEM_H
#define ADVISOR_CFILESYSTEM_H

/// The `f_type` magic number statfs(2) gives for the file system holding `path`, or -1.
long advisor_file_system_type(const char *path);

#endif
