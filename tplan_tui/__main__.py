from tplan_tui.cli import main

raise SystemExit(main())
