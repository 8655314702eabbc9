#include "cfilesystem.h"
#include <sys/vfs.h>

long advisor_file_system_type(const char *path) {
    struct statfs info;
    return statfs(path, &info) == 0 ? (long)info.f_type : -1;
}
