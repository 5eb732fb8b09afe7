# %install of the RPM that "python setup.py bdist_rpm" builds (setup.cfg
# [bdist_rpm] install_script).  The library goes to the interpreter's
# site-packages under /usr (/usr/lib/python3.9/site-packages on RHEL 9),
# the tools to /usr/bin with /usr/bin/python3 as interpreter, and the
# file list names directories, so the byte code RHEL's build root policy
# compiles after this script is packaged too.
sitelib=$(python3 -c "import sysconfig; print(sysconfig.get_path('purelib', 'posix_prefix', vars={'base': '/usr'}))")
python3 setup.py build_scripts --executable=/usr/bin/python3 install \
    --single-version-externally-managed -O1 --root="$RPM_BUILD_ROOT" \
    --install-lib="$sitelib" --install-scripts=/usr/bin --record=/dev/null
{
    echo "$sitelib/pyghmi"
    (cd "$RPM_BUILD_ROOT" && ls -d ."$sitelib"/pyghmi-*-info | cut -c2-)
    for tool in pyghmiutil fakebmc pyghmicons virshbmc; do
        echo "/usr/bin/$tool"
    done
} > INSTALLED_FILES
