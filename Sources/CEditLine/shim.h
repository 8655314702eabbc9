// Fixed-argument wrappers around libedit's variadic el_set/el_get/history,
// which Swift cannot call directly, and access to the C standard streams.
#ifndef ADVISOR_CEDITLINE_SHIM_H
#define ADVISOR_CEDITLINE_SHIM_H

#include <stdio.h>
#include <signal.h>
#include <sys/select.h>
#include <histedit.h>

typedef char *(*advisor_prompt_fn)(EditLine *);
typedef unsigned char (*advisor_command_fn)(EditLine *, int);

static inline EditLine *advisor_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline int advisor_el_set_prompt(EditLine *el, advisor_prompt_fn prompt) {
    return el_set(el, EL_PROMPT_ESC, prompt, '\1');
}

static inline int advisor_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int advisor_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int advisor_el_set_getc(EditLine *el, el_rfunc_t read_char) {
    return el_set(el, EL_GETCFN, read_char);
}

// 1: the terminal in libedit's editing mode; 0: back as it was (cooked).
static inline int advisor_el_prep_term(EditLine *el, int raw) {
    return el_set(el, EL_PREP_TERM, raw);
}

static inline int advisor_el_refresh(EditLine *el) {
    return el_set(el, EL_REFRESH);
}

// Waits until `fd` is readable with `mask` as the signal mask meanwhile (pselect(2)):
// signals blocked outside the wait interrupt it, so none is lost between a check and
// the wait. Returns 1 when readable, -1 with errno EINTR when a signal came.
static inline int advisor_wait_readable(int fd, const sigset_t *mask) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    return pselect(fd + 1, &set, NULL, NULL, NULL, mask);
}

static inline int advisor_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int advisor_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

static inline int advisor_el_add_function(EditLine *el, const char *name, const char *help, advisor_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int advisor_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *advisor_el_get_client_data(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static inline History *advisor_history_init(int size) {
    History *h = history_init();
    HistEvent event;
    if (h) {
        history(h, &event, H_SETSIZE, size);
        history(h, &event, H_SETUNIQUE, 1);
    }
    return h;
}

static inline int advisor_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

#endif
