dnl AX_PTHREAD_LITE: Linux/glibc only; -pthread is enough there.
AC_DEFUN([AX_PTHREAD_LITE], [
  PTHREAD_CFLAGS=-pthread
  PTHREAD_LIBS=-pthread
  AC_SUBST([PTHREAD_CFLAGS])
  AC_SUBST([PTHREAD_LIBS])
])
