dnl PHP extension cldkit: CldKit\Client over libcldkit.a (static link).
dnl   phpize && ./configure --with-cldkit=<prefix of `make -C bindings-c install`> && make
PHP_ARG_WITH([cldkit],
  [for cldkit support],
  [AS_HELP_STRING([--with-cldkit=DIR], [Include cldkit support; DIR is the install prefix of libcldkit])])

if test "$PHP_CLDKIT" != "no"; then
  for dir in $PHP_CLDKIT /usr/local /usr; do
    if test -r "$dir/include/cldkit.h" && test -r "$dir/lib/libcldkit.a"; then
      CLDKIT_DIR=$dir
      break
    fi
  done
  if test -z "$CLDKIT_DIR"; then
    AC_MSG_ERROR([cldkit.h and libcldkit.a not found; pass --with-cldkit=<prefix>])
  fi
  PHP_ADD_INCLUDE($CLDKIT_DIR/include)
  dnl Link the static library into the module; hide its symbols.
  CLDKIT_SHARED_LIBADD="-Wl,$CLDKIT_DIR/lib/libcldkit.a -Wl,--exclude-libs,ALL -lpthread -ldl -lm"
  PHP_SUBST(CLDKIT_SHARED_LIBADD)
  PHP_NEW_EXTENSION(cldkit, cldkit.c, $ext_shared)
fi
